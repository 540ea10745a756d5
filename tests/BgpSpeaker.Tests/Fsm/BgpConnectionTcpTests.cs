using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

public sealed class BgpConnectionTcpTests
{
    /// <summary>
    /// Over TCP the writer hands queued messages to the socket as gathered writes: thousands of
    /// messages of mixed sizes (a reflector's table for a new client, single-prefix UPDATEs and a
    /// few large ones) arrive whole and in order.
    /// </summary>
    [Fact]
    public async Task Send_ManyQueuedMessagesOverTcp_ArriveWholeAndInOrder()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        var transport = new TransportConnection(new NetworkStream(accepted, ownsSocket: true), (IPEndPoint)accepted.LocalEndPoint!, (IPEndPoint)accepted.RemoteEndPoint!, outbound: false);
        var events = Channel.CreateUnbounded<SessionEvent>();
        await using var connection = new BgpConnection(transport, events.Writer);
        var random = new Random(7);
        var messages = Enumerable.Range(0, 5000).Select(i =>
        {
            var message = new byte[i % 997 == 0 ? 70_000 : random.Next(19, 200)];
            random.NextBytes(message);
            return message;
        }).ToList();
        var expected = messages.SelectMany(m => m).ToArray();

        foreach (var message in messages.Take(2500))
        {
            connection.Send(message);
        }
        connection.Start();
        foreach (var message in messages.Skip(2500))
        {
            connection.Send(message);
        }
        var received = new byte[expected.Length];
        using var stream = new NetworkStream(client, ownsSocket: false);
        var total = await stream.ReadAtLeastAsync(received, received.Length, throwOnEndOfStream: false).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(expected.Length, total);
        Assert.Equal(expected, received);
    }
}
