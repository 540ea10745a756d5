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
    private const int TcpSaveSyn = 27;          // linux/tcp.h TCP_SAVE_SYN
    private const int TcpSavedSyn = 28;         // linux/tcp.h TCP_SAVED_SYN

    /// <summary>Has the kernel keep each incoming SYN's headers (Linux 4.2+), read once by <see cref="SavedSynTtl"/>; best effort.</summary>
    public static void SaveSyn(Socket listener)
    {
        Span<byte> on = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(on, 1);
        try
        {
            listener.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpSaveSyn, on);
        }
        catch (SocketException)
        {
            // Without it accepted connections carry no arrival TTL and GTSM relies on IP_MINTTL alone.
        }
    }

    /// <summary>The TTL (hop limit) of the SYN that opened <paramref name="accepted"/>, from its saved IP header; null when none was saved.</summary>
    public static int? SavedSynTtl(Socket accepted)
    {
        // IPv6 header 40 + TCP header with options up to 60.
        Span<byte> headers = stackalloc byte[128];
        int length;
        try
        {
            length = accepted.GetRawSocketOption((int)SocketOptionLevel.Tcp, TcpSavedSyn, headers);
        }
        catch (SocketException)
        {
            return null;
        }
        return length switch
        {
            >= 20 when headers[0] >> 4 == 4 => headers[8],    // IPv4: TTL
            >= 40 when headers[0] >> 4 == 6 => headers[7],    // IPv6: Hop Limit
            _ => null,
        };
    }

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
