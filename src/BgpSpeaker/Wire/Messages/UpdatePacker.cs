using System.Buffers;
using System.Net;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Writes any number of prefixes as the fewest UPDATEs the session's maximum length allows
/// (4096, or 65535 with RFC 8654), without building message objects or copying prefix lists.
/// Where the session negotiated ADD-PATH send for the family (RFC 7911), every prefix goes with
/// its Path Identifier from the span beside it; elsewhere that span must be empty.
/// </summary>
public static class UpdatePacker
{
    /// <summary>
    /// Announces <paramref name="prefixes"/> (one family) with <paramref name="attributes"/>. IPv4 goes in
    /// the NLRI field with the attributes' NEXT_HOP; IPv6 in MP_REACH_NLRI with <paramref name="mpNextHop"/>
    /// (and optionally <paramref name="mpLinkLocalNextHop"/>). Returns the number of messages written.
    /// </summary>
    public static int WriteAnnouncements(IBufferWriter<byte> writer, in BgpCodecContext context, PathAttributes attributes, ReadOnlySpan<BgpPrefix> prefixes, IPAddress? mpNextHop = null, IPAddress? mpLinkLocalNextHop = null, ReadOnlySpan<uint> pathIds = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(attributes);
        if (prefixes.IsEmpty)
        {
            return 0;
        }
        var isIPv6 = RequireOneFamily(prefixes);
        RequirePathIds(context, isIPv6, prefixes, pathIds);
        if (isIPv6 && mpNextHop is null)
        {
            throw new ArgumentException("IPv6 prefixes need an MP_REACH_NLRI next hop", nameof(mpNextHop));
        }
        var family = isIPv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast;
        var useMp = isIPv6 || mpNextHop is not null;
        var messages = 0;
        while (!prefixes.IsEmpty)
        {
            var empty = Parts(attributes, default, default, useMp, family, mpNextHop, mpLinkLocalNextHop);
            var take = Fit(prefixes, !pathIds.IsEmpty, Room(empty, context, useMp));
            Write(writer, Parts(attributes, prefixes[..take], Head(pathIds, take), useMp, family, mpNextHop, mpLinkLocalNextHop), context);
            prefixes = prefixes[take..];
            pathIds = Tail(pathIds, take);
            messages++;
        }
        return messages;
    }

    /// <summary>Withdraws <paramref name="prefixes"/> (one family): IPv4 in Withdrawn Routes, IPv6 in MP_UNREACH_NLRI.</summary>
    public static int WriteWithdrawals(IBufferWriter<byte> writer, in BgpCodecContext context, ReadOnlySpan<BgpPrefix> prefixes, ReadOnlySpan<uint> pathIds = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (prefixes.IsEmpty)
        {
            return 0;
        }
        var isIPv6 = RequireOneFamily(prefixes);
        RequirePathIds(context, isIPv6, prefixes, pathIds);
        var messages = 0;
        while (!prefixes.IsEmpty)
        {
            var room = Room(WithdrawParts(default, default, isIPv6), context, isIPv6);
            var take = Fit(prefixes, !pathIds.IsEmpty, room);
            Write(writer, WithdrawParts(prefixes[..take], Head(pathIds, take), isIPv6), context);
            prefixes = prefixes[take..];
            pathIds = Tail(pathIds, take);
            messages++;
        }
        return messages;
    }

    private static UpdateParts Parts(PathAttributes attributes, ReadOnlySpan<BgpPrefix> chunk, ReadOnlySpan<uint> ids, bool useMp, AfiSafi family, IPAddress? nextHop, IPAddress? linkLocal) => useMp
        ? new UpdateParts { Attributes = attributes, ReachFamily = family, ReachNextHop = nextHop, ReachLinkLocal = linkLocal, ReachNlri = chunk, ReachPathIds = ids }
        : new UpdateParts { Attributes = attributes, Nlri = chunk, NlriPathIds = ids };

    private static UpdateParts WithdrawParts(ReadOnlySpan<BgpPrefix> chunk, ReadOnlySpan<uint> ids, bool isIPv6) => isIPv6
        ? new UpdateParts { Attributes = PathAttributes.Empty, HasUnreach = true, UnreachFamily = AfiSafi.Ipv6Unicast, UnreachNlri = chunk, UnreachPathIds = ids }
        : new UpdateParts { Attributes = PathAttributes.Empty, Withdrawn = chunk, WithdrawnPathIds = ids };

    private static ReadOnlySpan<uint> Head(ReadOnlySpan<uint> ids, int count) => ids.IsEmpty ? ids : ids[..count];

    private static ReadOnlySpan<uint> Tail(ReadOnlySpan<uint> ids, int count) => ids.IsEmpty ? ids : ids[count..];

    /// <summary>RFC 7911 §3: with ADD-PATH send every prefix carries an identifier, without it none does.</summary>
    private static void RequirePathIds(in BgpCodecContext context, bool isIPv6, ReadOnlySpan<BgpPrefix> prefixes, ReadOnlySpan<uint> pathIds)
    {
        var expected = context.WritesPathIds(isIPv6) ? prefixes.Length : 0;
        if (pathIds.Length != expected)
        {
            throw new ArgumentException($"the session {(expected == 0 ? "sends no path identifiers" : "sends a path identifier with every prefix")} in this family; got {pathIds.Length} for {prefixes.Length} prefixes", nameof(pathIds));
        }
    }

    /// <summary>Octets left for prefixes; an MP attribute may grow an Extended Length octet once it passes 255.</summary>
    private static int Room(in UpdateParts empty, in BgpCodecContext context, bool inMpAttribute)
    {
        var room = context.MaxMessageLength - BgpHeader.Size - UpdateMessage.GetBodyLength(empty, context) - (inMpAttribute ? 1 : 0);
        return room >= NlriCodec.PathIdLength + 1 + 16 ? room : throw new InvalidOperationException("the path attributes alone fill the largest UPDATE the session allows");
    }

    private static int Fit(ReadOnlySpan<BgpPrefix> prefixes, bool withPathIds, int room)
    {
        var idLength = withPathIds ? NlriCodec.PathIdLength : 0;
        var used = 0;
        var count = 0;
        while (count < prefixes.Length && used + idLength + prefixes[count].EncodedLength <= room)
        {
            used += idLength + prefixes[count++].EncodedLength;
        }
        return count;
    }

    private static void Write(IBufferWriter<byte> writer, in UpdateParts parts, in BgpCodecContext context)
    {
        var length = BgpHeader.Size + UpdateMessage.GetBodyLength(parts, context);
        var span = writer.GetSpan(length);
        BgpHeader.Write(span, length, BgpMessageType.Update);
        UpdateMessage.WriteBody(span.Slice(BgpHeader.Size, length - BgpHeader.Size), parts, context);
        writer.Advance(length);
    }

    private static bool RequireOneFamily(ReadOnlySpan<BgpPrefix> prefixes)
    {
        var isIPv6 = prefixes[0].IsIPv6;
        foreach (var prefix in prefixes)
        {
            if (prefix.IsIPv6 != isIPv6)
            {
                throw new ArgumentException("all prefixes of one call must be of one family", nameof(prefixes));
            }
        }
        return isIPv6;
    }
}
