using System.Buffers;
using System.Net;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Writes any number of prefixes as the fewest UPDATEs the session's maximum length allows
/// (4096, or 65535 with RFC 8654), without building message objects or copying prefix lists.
/// </summary>
public static class UpdatePacker
{
    /// <summary>
    /// Announces <paramref name="prefixes"/> (one family) with <paramref name="attributes"/>. IPv4 goes in
    /// the NLRI field with the attributes' NEXT_HOP; IPv6 in MP_REACH_NLRI with <paramref name="mpNextHop"/>
    /// (and optionally <paramref name="mpLinkLocalNextHop"/>). Returns the number of messages written.
    /// </summary>
    public static int WriteAnnouncements(IBufferWriter<byte> writer, in BgpCodecContext context, PathAttributes attributes, ReadOnlySpan<BgpPrefix> prefixes, IPAddress? mpNextHop = null, IPAddress? mpLinkLocalNextHop = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(attributes);
        if (prefixes.IsEmpty)
        {
            return 0;
        }
        var isIPv6 = RequireOneFamily(prefixes);
        if (isIPv6 && mpNextHop is null)
        {
            throw new ArgumentException("IPv6 prefixes need an MP_REACH_NLRI next hop", nameof(mpNextHop));
        }
        var family = isIPv6 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast;
        var useMp = isIPv6 || mpNextHop is not null;
        var messages = 0;
        while (!prefixes.IsEmpty)
        {
            var empty = Parts(attributes, default, useMp, family, mpNextHop, mpLinkLocalNextHop);
            var take = Fit(prefixes, Room(empty, context, useMp));
            var chunk = prefixes[..take];
            Write(writer, Parts(attributes, chunk, useMp, family, mpNextHop, mpLinkLocalNextHop), context);
            prefixes = prefixes[take..];
            messages++;
        }
        return messages;
    }

    /// <summary>Withdraws <paramref name="prefixes"/> (one family): IPv4 in Withdrawn Routes, IPv6 in MP_UNREACH_NLRI.</summary>
    public static int WriteWithdrawals(IBufferWriter<byte> writer, in BgpCodecContext context, ReadOnlySpan<BgpPrefix> prefixes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (prefixes.IsEmpty)
        {
            return 0;
        }
        var isIPv6 = RequireOneFamily(prefixes);
        var messages = 0;
        while (!prefixes.IsEmpty)
        {
            var room = Room(WithdrawParts(default, isIPv6), context, isIPv6);
            var take = Fit(prefixes, room);
            Write(writer, WithdrawParts(prefixes[..take], isIPv6), context);
            prefixes = prefixes[take..];
            messages++;
        }
        return messages;
    }

    private static UpdateParts Parts(PathAttributes attributes, ReadOnlySpan<BgpPrefix> chunk, bool useMp, AfiSafi family, IPAddress? nextHop, IPAddress? linkLocal) => useMp
        ? new UpdateParts { Attributes = attributes, ReachFamily = family, ReachNextHop = nextHop, ReachLinkLocal = linkLocal, ReachNlri = chunk }
        : new UpdateParts { Attributes = attributes, Nlri = chunk };

    private static UpdateParts WithdrawParts(ReadOnlySpan<BgpPrefix> chunk, bool isIPv6) => isIPv6
        ? new UpdateParts { Attributes = PathAttributes.Empty, HasUnreach = true, UnreachFamily = AfiSafi.Ipv6Unicast, UnreachNlri = chunk }
        : new UpdateParts { Attributes = PathAttributes.Empty, Withdrawn = chunk };

    /// <summary>Octets left for prefixes; an MP attribute may grow an Extended Length octet once it passes 255.</summary>
    private static int Room(in UpdateParts empty, in BgpCodecContext context, bool inMpAttribute)
    {
        var room = context.MaxMessageLength - BgpHeader.Size - UpdateMessage.GetBodyLength(empty, context) - (inMpAttribute ? 1 : 0);
        return room >= 1 + 16 ? room : throw new InvalidOperationException("the path attributes alone fill the largest UPDATE the session allows");
    }

    private static int Fit(ReadOnlySpan<BgpPrefix> prefixes, int room)
    {
        var used = 0;
        var count = 0;
        while (count < prefixes.Length && used + prefixes[count].EncodedLength <= room)
        {
            used += prefixes[count++].EncodedLength;
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
