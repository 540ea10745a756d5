using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// One conformance probe from a pod to another pod's address, as upstream's `agnhost connect
/// --timeout=1s` does it, with the socket opened inside the source pod's namespace: TCP = the
/// connection is established; UDP = a tagged request is echoed back; SCTP = the destination's
/// server saw our INIT (no SCTP in this kernel: raw sockets both ends, <see cref="SctpInit"/>).
/// Each attempt waits at most <see cref="Timeout"/>.
/// </summary>
internal static class PolicyProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public static async Task<bool> ProbeAsync(LabDirectory directory, LabPod from, LabPod to, int port, string protocol)
    {
        var target = new IPEndPoint(IPAddress.Parse(to.Addresses[0]), port);
        return protocol switch
        {
            "TCP" => await TcpAsync(from, target).ConfigureAwait(false),
            "UDP" => await UdpAsync(from, target).ConfigureAwait(false),
            "SCTP" => Sctp(directory, from, to, port),
            _ => throw new CtlException($"no probe for protocol {protocol} (TCP, UDP, SCTP)"),
        };
    }

    private static Socket Open(LabPod pod, SocketType type, ProtocolType protocol) =>
        NetworkNamespace.Run(LabTopology.NamespacePath(pod.Namespace), () => new Socket(AddressFamily.InterNetwork, type, protocol));

    private static async Task<bool> TcpAsync(LabPod from, IPEndPoint target)
    {
        using var socket = Open(from, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> UdpAsync(LabPod from, IPEndPoint target)
    {
        using var socket = Open(from, SocketType.Dgram, ProtocolType.Udp);
        var tag = Encoding.ASCII.GetBytes($"rnlab-probe {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.SendToAsync(tag, target, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            while (true)
            {
                var result = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token).ConfigureAwait(false);
                if (buffer.AsSpan(0, result.ReceivedBytes).SequenceEqual(tag))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Refused (ICMP port unreachable) or nothing back in time.
            return false;
        }
    }

    private static bool Sctp(LabDirectory directory, LabPod from, LabPod to, int port)
    {
        using var socket = NetworkNamespace.Run(LabTopology.NamespacePath(from.Namespace), RawSctpSocket.Open);
        var sourcePort = RandomNumberGenerator.GetInt32(32768, 61000);
        var tag = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        try
        {
            socket.SendTo(SctpInit.Build(sourcePort, port, tag), new IPEndPoint(IPAddress.Parse(to.Addresses[0]), 0));
        }
        catch (SocketException)
        {
            return false;
        }
        return PodServer.SawSctpInit(directory, to, from.Addresses[0], sourcePort, port, tag, Timeout);
    }
}
