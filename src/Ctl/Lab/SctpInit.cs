using System.Buffers.Binary;
using System.Net;
using System.Numerics;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// An SCTP INIT packet (RFC 9260 §3.1 common header, §3.3.2 INIT chunk) written and read by hand:
/// this kernel has no SCTP module (no IPPROTO_SCTP sockets), but a raw IP socket of protocol 132
/// sends and sees SCTP all the same, and conntrack and nf_tables classify it (lab notes netpol §4).
/// <code>
///  0                   1                   2                   3
///  | source port (16)              | destination port (16)         |
///  | verification tag (32): 0 in a packet carrying INIT            |
///  | checksum (32): CRC32c over the packet with this field 0       |
///  | type 1 | flags 0 | chunk length 20                            |
///  | initiate tag (32, non-zero)                                   |
///  | a_rwnd (32)                                                   |
///  | outbound streams (16)         | inbound streams (16)          |
///  | initial TSN (32)                                              |
/// </code>
/// </summary>
internal static class SctpInit
{
    public const int Protocol = 132;
    public const int Length = 32;
    private const byte ChunkInit = 1;

    public static byte[] Build(int sourcePort, int destinationPort, uint initiateTag)
    {
        var packet = new byte[Length];
        var span = packet.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)destinationPort);
        span[12] = ChunkInit;
        BinaryPrimitives.WriteUInt16BigEndian(span[14..], 20);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], initiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], 65535);
        BinaryPrimitives.WriteUInt16BigEndian(span[24..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[26..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(span[28..], initiateTag);
        // RFC 9260 Appendix A: the CRC32c is stored least significant byte first (what the kernel's sctp_compute_cksum does).
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32c(span));
        return packet;
    }

    /// <summary>
    /// Reads an INIT out of what a raw IPv4 socket receives (the IP header first): its source
    /// address, ports and initiate tag. False for anything else, or a packet whose checksum is wrong.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> ipPacket, out IPAddress source, out int sourcePort, out int destinationPort, out uint initiateTag)
    {
        (source, sourcePort, destinationPort, initiateTag) = (IPAddress.None, 0, 0, 0);
        if (ipPacket.Length < 20 || ipPacket[0] >> 4 != 4)
        {
            return false;
        }
        var headerLength = (ipPacket[0] & 0x0f) * 4;
        if (headerLength < 20 || ipPacket.Length < headerLength + Length || ipPacket[9] != Protocol)
        {
            return false;
        }
        var sctp = ipPacket[headerLength..];
        if (sctp[12] != ChunkInit || BinaryPrimitives.ReadUInt32LittleEndian(sctp[8..]) != Crc32c(sctp))
        {
            return false;
        }
        source = new IPAddress(ipPacket.Slice(12, 4));
        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(sctp);
        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(sctp[2..]);
        initiateTag = BinaryPrimitives.ReadUInt32BigEndian(sctp[16..]);
        return true;
    }

    /// <summary>CRC32c (Castagnoli) of <paramref name="sctp"/> with its checksum field taken as zero.</summary>
    public static uint Crc32c(ReadOnlySpan<byte> sctp)
    {
        var crc = uint.MaxValue;
        for (var i = 0; i < sctp.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, i is >= 8 and < 12 ? (byte)0 : sctp[i]);
        }
        return ~crc;
    }
}
