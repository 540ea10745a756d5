using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Tests.Transport;

public sealed class TcpTransportTests
{
    /// <summary>
    /// A route reflector that restarts gets every client's connection at once, before its accept
    /// loop has taken any: the kernel must queue them all. With a short listen queue the excess
    /// SYNs are dropped and those clients wait for their retransmits (1 s, 3 s, 7 s ...), and here,
    /// with nothing accepting, never get in.
    /// </summary>
    [Fact]
    public async Task Listen_BurstOfConnectsBeforeAnyAccept_AllAreQueued()
    {
        const int Clients = 600;
        var port = FreePort();
        await using var listener = new TcpTransport().Listen(new IPEndPoint(IPAddress.Loopback, port));
        var sockets = Enumerable.Range(0, Clients).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        try
        {
            var connects = sockets.Select(s => s.ConnectAsync(IPAddress.Loopback, port)).ToList();

            await Task.WhenAll(connects).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.All(sockets, s => Assert.True(s.Connected));
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// GTSM on an accepted connection: the listener serves every peer, so the kernel's minimum TTL
    /// can only be set after accept, when the peer's handshake and OPEN are already in. The SYN's
    /// TTL, as it arrived, decides: one hop too far (254 for a 255 minimum) is refused.
    /// </summary>
    [Theory]
    [InlineData(254, 255, false)]
    [InlineData(255, 255, true)]
    [InlineData(254, 254, true)]
    public async Task Accept_SynTtlBelowTheMinimum_Refused(short sentTtl, int minTtl, bool accepted)
    {
        var port = FreePort();
        await using var listener = new TcpTransport().Listen(new IPEndPoint(IPAddress.Loopback, port));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Ttl = sentTtl };
        var accept = listener.AcceptAsync(CancellationToken.None);
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var connection = await accept.WaitAsync(TimeSpan.FromSeconds(10));

        // Loopback does not decrement: the TTL arrives as sent.
        Assert.Equal(sentTtl, connection.ArrivalTtl);
        Assert.Equal(accepted, listener.ApplyTtl(connection, 255, minTtl));
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
