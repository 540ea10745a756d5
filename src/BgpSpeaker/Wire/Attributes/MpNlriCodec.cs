using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// MP_REACH_NLRI and MP_UNREACH_NLRI values (RFC 4760 §3, §4):
/// <code>
/// MP_REACH_NLRI                                  MP_UNREACH_NLRI
/// +---------------------------------------------+  +---------------------------------------------+
/// | AFI (2) | SAFI (1)                          |  | AFI (2) | SAFI (1)                          |
/// | Length of Next Hop Network Address (1)      |  | Withdrawn Routes (variable)                 |
/// | Network Address of Next Hop (variable)      |  +---------------------------------------------+
/// | Reserved (1)                                |
/// | NLRI (variable)                             |
/// +---------------------------------------------+
/// </code>
/// IPv6 next hops are 16 octets (global) or 32 (global, then link-local; RFC 2545 §3). Every
/// length is checked before use: these are where other speakers crashed (FRR CVE-2023-46752).
/// </summary>
internal static class MpNlriCodec
{
    /// <summary>False when malformed. A family we do not carry yields true and a null result (ignored).</summary>
    public static bool TryReadReach(ReadOnlySpan<byte> value, in BgpCodecContext context, out MpReachNlri? reach)
    {
        reach = null;
        if (value.Length < 5)
        {
            return false;
        }
        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);
        int nextHopLength = value[3];
        if (value.Length < 4 + nextHopLength + 1)
        {
            return false;
        }
        if (!family.IsSupportedUnicast)
        {
            return true;
        }
        var nextHop = value.Slice(4, nextHopLength);
        var isIPv6 = family.Afi == Afi.Ipv6;
        var validLength = isIPv6 ? nextHopLength is 16 or 32 : nextHopLength == 4;
        if (!validLength || !NlriCodec.TryRead(value[(4 + nextHopLength + 1)..], isIPv6, context.ReadsPathIds(isIPv6), out var nlri, out var pathIds))
        {
            return false;
        }
        var global = new IPAddress(isIPv6 ? nextHop[..16] : nextHop);
        var linkLocal = nextHopLength == 32 ? new IPAddress(nextHop[16..]) : null;
        reach = new MpReachNlri(family, global, nlri, linkLocal, pathIds);
        return true;
    }

    /// <summary>False when malformed. For a family we do not carry the prefixes are skipped, the family kept (its End-of-RIB).</summary>
    public static bool TryReadUnreach(ReadOnlySpan<byte> value, in BgpCodecContext context, out MpUnreachNlri? unreach)
    {
        unreach = null;
        if (value.Length < 3)
        {
            return false;
        }
        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);
        ImmutableArray<BgpPrefix> withdrawn = [];
        ImmutableArray<uint> pathIds = [];
        var isIPv6 = family.Afi == Afi.Ipv6;
        if (family.IsSupportedUnicast && !NlriCodec.TryRead(value[3..], isIPv6, context.ReadsPathIds(isIPv6), out withdrawn, out pathIds))
        {
            return false;
        }
        unreach = new MpUnreachNlri(family, withdrawn, pathIds);
        return true;
    }

    public static int GetReachLength(int nextHopLength, ReadOnlySpan<BgpPrefix> nlri, ReadOnlySpan<uint> pathIds = default) => 5 + nextHopLength + NlriCodec.GetEncodedLength(nlri, pathIds);

    public static void WriteReach(Span<byte> destination, AfiSafi family, IPAddress nextHop, IPAddress? linkLocal, ReadOnlySpan<BgpPrefix> nlri, ReadOnlySpan<uint> pathIds = default)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)family.Afi);
        destination[2] = (byte)family.Safi;
        nextHop.TryWriteBytes(destination[4..], out var written);
        if (linkLocal is not null)
        {
            linkLocal.TryWriteBytes(destination[(4 + written)..], out var more);
            written += more;
        }
        destination[3] = (byte)written;
        destination[4 + written] = 0;
        NlriCodec.Write(destination[(5 + written)..], nlri, pathIds);
    }

    public static int GetUnreachLength(ReadOnlySpan<BgpPrefix> withdrawn, ReadOnlySpan<uint> pathIds = default) => 3 + NlriCodec.GetEncodedLength(withdrawn, pathIds);

    public static void WriteUnreach(Span<byte> destination, AfiSafi family, ReadOnlySpan<BgpPrefix> withdrawn, ReadOnlySpan<uint> pathIds = default)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)family.Afi);
        destination[2] = (byte)family.Safi;
        NlriCodec.Write(destination[3..], withdrawn, pathIds);
    }
}
