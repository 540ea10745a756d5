using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// The sockets of single-hop BFD (RFC 5881): packets go to UDP 3784 from a source port in
/// 49152-65535, with TTL (hop limit) 255, and only packets that arrive with 255 are taken (§5, the
/// Generalized TTL Security Mechanism: a packet from beyond the link cannot have it). The kernel
/// drops the others before we see them, by a socket filter: IP_MINTTL and IPV6_MINHOPCOUNT are
/// honoured by TCP only (a UDP socket with IP_MINTTL 255 still takes TTL 64; seen on 6.18 and
/// caught by tests/Interop/Bgp/BfdMultihopBirdTests). Multihop BFD (RFC 5883)
/// uses port 4784, sends with 255 too, and takes what arrives with at least the configured
/// minimum (§5: the TTL cannot be 255 after routers; a minimum bounds how far the peer may be).
/// </summary>
internal static class BfdSockets
{
    public const int ControlPort = 3784;
    public const int MultihopControlPort = 4784;
    private const int FirstSourcePort = 49152;
    private const int LastSourcePort = 65535;
    private const byte Ttl = 255;

    // Linux <asm-generic/socket.h>: SOL_SOCKET 1, SO_ATTACH_FILTER 26. <linux/filter.h>: classic BPF
    // opcodes BPF_LD|BPF_B|BPF_ABS, BPF_JMP|BPF_JGE|BPF_K, BPF_RET|BPF_K, and SKF_NET_OFF, the base
    // from which an absolute load reads the network header (on a UDP socket the packet starts at the
    // payload). The TTL is byte 8 of the IPv4 header, the hop limit byte 7 of the IPv6 header.
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;
    private const ushort LoadByteAbsolute = 0x30;
    private const ushort JumpIfGreaterOrEqual = 0x35;
    private const ushort Return = 0x06;
    private const int NetworkHeaderOffset = -0x100000;

    /// <summary>The receiving socket of one address family, on port 3784 (4784 when <paramref name="multihop"/>) of every address, taking packets that arrive with at least <paramref name="minimumTtl"/>.</summary>
    public static Socket Listener(AddressFamily family, bool multihop = false, byte minimumTtl = Ttl)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }
            SetMinimumTtl(socket, minimumTtl);
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, multihop ? MultihopControlPort : ControlPort));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Packets arriving with a lower TTL (hop limit) are dropped by the kernel from now on (a new filter replaces the last).</summary>
    public static void SetMinimumTtl(Socket socket, byte minimumTtl)
    {
        var ttlOffset = socket.AddressFamily == AddressFamily.InterNetwork ? 8 : 7;
        // A = TTL; A >= minimum ? take the whole packet : drop it.
        var program = new byte[4 * 8];
        Instruction(program.AsSpan(0), LoadByteAbsolute, 0, 0, unchecked((uint)(NetworkHeaderOffset + ttlOffset)));
        Instruction(program.AsSpan(8), JumpIfGreaterOrEqual, 0, 1, minimumTtl);
        Instruction(program.AsSpan(16), Return, 0, 0, uint.MaxValue);
        Instruction(program.AsSpan(24), Return, 0, 0, 0);
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the kernel copies the
        // program during the call, so it is pinned only for that long.
        var pinned = GCHandle.Alloc(program, GCHandleType.Pinned);
        try
        {
            Span<byte> fprog = stackalloc byte[2 * IntPtr.Size];
            fprog.Clear();
            BitConverter.TryWriteBytes(fprog, (ushort)(program.Length / 8));
            if (IntPtr.Size == 8)
            {
                BitConverter.TryWriteBytes(fprog[8..], (long)pinned.AddrOfPinnedObject());
            }
            else
            {
                BitConverter.TryWriteBytes(fprog[4..], (int)pinned.AddrOfPinnedObject());
            }
            socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
        }
        finally
        {
            pinned.Free();
        }
    }

    // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }, in the host's byte order.
    private static void Instruction(Span<byte> at, ushort code, byte jumpIfTrue, byte jumpIfFalse, uint k)
    {
        BitConverter.TryWriteBytes(at, code);
        at[2] = jumpIfTrue;
        at[3] = jumpIfFalse;
        BitConverter.TryWriteBytes(at[4..], k);
    }

    /// <summary>One session's sending socket: from <paramref name="local"/> (null: the kernel's source for the route) and a free port of the range, to the peer's 3784 (4784 when <paramref name="multihop"/>), TTL 255.</summary>
    public static Socket Sender(IPAddress? local, IPAddress peer, bool multihop = false)
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
            socket.Connect(new IPEndPoint(peer, multihop ? MultihopControlPort : ControlPort));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
