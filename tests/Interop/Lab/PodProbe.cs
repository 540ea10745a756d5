using System.Net;
using System.Net.Sockets;
using System.Text;
using RoutedNet.Netlink;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// UDP from one pod to another with sockets opened inside the pods' own namespaces: the receiver
/// sees the datagram's source address, so a probe proves both reachability and "no NAT" (the
/// source is the sender's pod address). The sender does not bind: the kernel picks the source.
/// </summary>
public static class PodProbe
{
    private const int Port = 7777;

    /// <summary>The source address <paramref name="to"/> saw a datagram from <paramref name="from"/> arrive with; null when nothing arrived.</summary>
    public static async Task<IPAddress?> SourceSeenAsync(LabPod from, LabPod to, TimeSpan wait)
    {
        using var receiver = NetworkNamespace.Run(to.NamespacePath, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(to.Ip, Port));
            return socket;
        });
        using var sender = NetworkNamespace.Run(from.NamespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var token = Encoding.ASCII.GetBytes($"{from.Name}->{to.Name}:{Guid.NewGuid():N}");
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(wait);
        var receive = receiver.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token).AsTask();
        // A few sends a short interval apart: the first may wait on ARP at a hop.
        for (var i = 0; i < 5 && !receive.IsCompleted; i++)
        {
            await sender.SendToAsync(token, SocketFlags.None, new IPEndPoint(to.Ip, Port));
            await Task.WhenAny(receive, Task.Delay(wait / 5));
        }
        try
        {
            var result = await receive;
            return buffer.AsSpan(0, result.ReceivedBytes).SequenceEqual(token) ? ((IPEndPoint)result.RemoteEndPoint).Address : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every ordered pair of distinct pods whose probe did not arrive from the sender's own address, as "a -> b: seen".</summary>
    public static async Task<IReadOnlyList<string>> FailingPairsAsync(IReadOnlyList<LabPod> pods)
    {
        var failures = new List<string>();
        foreach (var from in pods)
        {
            foreach (var to in pods.Where(p => p != from))
            {
                var seen = await SourceSeenAsync(from, to, TimeSpan.FromSeconds(2));
                if (!from.Ip.Equals(seen))
                {
                    failures.Add($"{from.Name} ({from.Ip}) -> {to.Name} ({to.Ip}): {(seen is null ? "nothing arrived" : $"arrived from {seen}")}");
                }
            }
        }
        return failures;
    }
}
