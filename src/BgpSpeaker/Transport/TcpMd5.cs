using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RoutedNet.BgpSpeaker.Transport;

/// <summary>
/// TCP-MD5 signatures (RFC 2385) through Linux's setsockopt(IPPROTO_TCP, TCP_MD5SIG, struct tcp_md5sig).
/// The key is bound to the peer's address; a zero-length key removes it.
/// </summary>
internal static class TcpMd5
{
    private const int TcpMd5Sig = 14;          // linux/tcp.h TCP_MD5SIG
    private const int MaxKeyLength = 80;       // TCP_MD5SIG_MAXKEYLEN
    private const int StructSize = 128 + 1 + 1 + 2 + 4 + MaxKeyLength; // sockaddr_storage, flags, prefixlen, keylen, ifindex, key
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    /// <summary>
    /// The key must be set for the address in the socket's own family: an IPv6 socket sees an
    /// IPv4 peer as ::ffff:a.b.c.d.
    /// </summary>
    public static void Set(Socket socket, IPAddress peer, string? password)
    {
        var key = Encoding.UTF8.GetBytes(password ?? "");
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"TCP-MD5 password longer than {MaxKeyLength} bytes", nameof(password));
        }
        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && peer.AddressFamily == AddressFamily.InterNetwork)
        {
            peer = peer.MapToIPv6();
        }
        Span<byte> option = stackalloc byte[StructSize];
        option.Clear();
        if (peer.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(option, AfInet);      // sa_family is host order (x86/arm64 LE)
            peer.TryWriteBytes(option[4..8], out _);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(option, AfInet6);
            peer.TryWriteBytes(option[8..24], out _);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(option[130..], (ushort)key.Length);
        key.CopyTo(option[136..]);
        socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpMd5Sig, option);
    }
}
