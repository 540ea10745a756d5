using System.Net;
using System.Net.Sockets;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// The sockets of single-hop BFD (RFC 5881): packets go to UDP 3784 from a source port in
/// 49152-65535, with TTL (hop limit) 255, and only packets that arrive with 255 are taken (§5, the
/// Generalized TTL Security Mechanism: a packet from beyond the link cannot have it). The kernel
/// drops the others before we see them (IP_MINTTL, IPV6_MINHOPCOUNT).
/// </summary>
internal static class BfdSockets
{
    public const int ControlPort = 3784;
    private const int FirstSourcePort = 49152;
    private const int LastSourcePort = 65535;
    private const byte Ttl = 255;

    // Linux <netinet/in.h>: IP_MINTTL 21 (IPPROTO_IP 0); IPV6_MINHOPCOUNT 73 (IPPROTO_IPV6 41).
    private const int IpProtocolIp = 0;
    private const int IpMinTtl = 21;
    private const int IpProtocolIpv6 = 41;
    private const int Ipv6MinHopCount = 73;

    /// <summary>The receiving socket of one address family, on port 3784 of every address.</summary>
    public static Socket Listener(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }
            Span<byte> minimum = stackalloc byte[sizeof(int)];
            BitConverter.TryWriteBytes(minimum, (int)Ttl);
            if (family == AddressFamily.InterNetwork)
            {
                socket.SetRawSocketOption(IpProtocolIp, IpMinTtl, minimum);
            }
            else
            {
                socket.SetRawSocketOption(IpProtocolIpv6, Ipv6MinHopCount, minimum);
            }
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, ControlPort));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One session's sending socket: from <paramref name="local"/> (null: the kernel's source for the route) and a free port of the range, to the peer's 3784, TTL 255.</summary>
    public static Socket Sender(IPAddress? local, IPAddress peer)
    {
        local ??= peer.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        var socket = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Ttl = Ttl;
            var start = Random.Shared.Next(FirstSourcePort, LastSourcePort + 1);
            for (var i = 0; ; i++)
            {
                var port = FirstSourcePort + ((start - FirstSourcePort + i) % (LastSourcePort - FirstSourcePort + 1));
                try
                {
                    socket.Bind(new IPEndPoint(local, port));
                    break;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && i < LastSourcePort - FirstSourcePort)
                {
                    // Taken by another session or program: the next one.
                }
            }
            socket.Connect(new IPEndPoint(peer, ControlPort));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
