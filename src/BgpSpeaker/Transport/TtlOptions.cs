using System.Net.Sockets;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>
/// Outgoing TTL (eBGP multihop) and GTSM (RFC 5082): with GTSM we send TTL 255 and have the kernel
/// drop anything arriving with a TTL below 256 − hops (IP_MINTTL / IPV6_MINHOPCOUNT).
/// </summary>
internal static class TtlOptions
{
    private const int IpMinTtl = 21;            // linux/in.h IP_MINTTL
    private const int Ipv6MinHopCount = 73;     // linux/in6.h IPV6_MINHOPCOUNT

    public static void Apply(Socket socket, int? ttl, int? minTtl)
    {
        if (ttl is { } value)
        {
            socket.Ttl = (short)value;
        }
        if (minTtl is { } min)
        {
            Span<byte> option = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(option, min);
            if (socket.AddressFamily == AddressFamily.InterNetwork)
            {
                socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpMinTtl, option);
            }
            else
            {
                socket.SetRawSocketOption((int)SocketOptionLevel.IPv6, Ipv6MinHopCount, option);
            }
        }
    }
}
