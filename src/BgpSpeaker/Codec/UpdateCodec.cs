using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Codec;

/// <summary>
/// UPDATEs between the wire and the RIB: decoding with the RFC 7606 outcome, and encoding a group of
/// prefixes that share attributes into as few messages as the session's maximum length allows.
/// IPv4 travels in the classic fields, IPv6 in MP_REACH/MP_UNREACH (RFC 4760).
/// </summary>
internal static class UpdateCodec
{
    public static ReceivedUpdate Decode(byte[] body, BgpCodecContext context)
    {
        var result = new ReceivedUpdate();
        if (!UpdateMessage.TryRead(body, context, out var message, out var error) || message is null || error.IsSessionReset)
        {
            result.Reset = SessionCodec.FromError(error, body);
            result.Problem = error.ToString();
            return result;
        }
        if (error.IsError)
        {
            result.Problem = error.ToString();
            result.TreatAsWithdraw = error.Action == ErrorAction.TreatAsWithdraw;
        }
        if (message.IsEndOfRib(out var endOfRib))
        {
            result.EndOfRib = endOfRib.ToRouteFamily();
            return result;
        }
        AddWithdrawn(result, message.WithdrawnRoutes, message.WithdrawnPathIds);
        if (message.MpUnreach is { } unreach && unreach.Family.ToRouteFamily() is not null)
        {
            AddWithdrawn(result, unreach.Withdrawn, unreach.PathIds);
        }
        if (!message.Nlri.IsEmpty)
        {
            result.Announced.Add((message.Attributes, [.. message.Nlri], message.NlriPathIds));
        }
        if (message.MpReach is { } reach && reach.Family.ToRouteFamily() is not null && !reach.Nlri.IsEmpty)
        {
            var attributes = new AttributeBuilder(message.Attributes) { NextHop = reach.NextHop }.Build();
            result.Announced.Add((attributes, [.. reach.Nlri], reach.PathIds));
        }
        return result;
    }

    /// <summary>
    /// Withdrawals of one field, keeping <see cref="ReceivedUpdate.WithdrawnPathIds"/> beside
    /// <see cref="ReceivedUpdate.Withdrawn"/> once any field carried identifiers (one family may
    /// carry them and the other not: the other's prefixes get a placeholder 0).
    /// </summary>
    private static void AddWithdrawn(ReceivedUpdate result, ImmutableArray<BgpPrefix> prefixes, ImmutableArray<uint> pathIds)
    {
        if (!pathIds.IsEmpty && result.WithdrawnPathIds.Count < result.Withdrawn.Count)
        {
            result.WithdrawnPathIds.AddRange(Enumerable.Repeat(0u, result.Withdrawn.Count - result.WithdrawnPathIds.Count));
        }
        result.Withdrawn.AddRange(prefixes);
        if (!pathIds.IsEmpty)
        {
            result.WithdrawnPathIds.AddRange(pathIds);
        }
        else if (result.WithdrawnPathIds.Count != 0)
        {
            result.WithdrawnPathIds.AddRange(Enumerable.Repeat(0u, prefixes.Length));
        }
    }

    public static byte[] EndOfRib(RouteFamily family) => UpdateMessage.EndOfRib(family.ToAfiSafi()).ToArray(BgpCodecContext.Initial);

    /// <summary>
    /// Packs prefixes sharing <paramref name="attributes"/> into UPDATEs; returns the bytes of all of
    /// them and how many there are. <paramref name="pathIds"/> (one per prefix) where the session
    /// sends ADD-PATH identifiers in this family, else null.
    /// </summary>
    public static (byte[] Bytes, int Messages) EncodeAnnouncements(PathAttributes attributes, List<RibPrefix> prefixes, List<uint>? pathIds, BgpCodecContext context)
    {
        var ids = pathIds is null ? default : CollectionsMarshal.AsSpan(pathIds);
        var writer = new ArrayBufferWriter<byte>();
        int messages;
        if (prefixes[0].IsIPv6)
        {
            // The next hop of an IPv6 route lives in MP_REACH_NLRI; a NEXT_HOP attribute would be wrong here.
            var withoutNextHop = new AttributeBuilder(attributes) { NextHop = null }.Build();
            messages = UpdatePacker.WriteAnnouncements(writer, context, withoutNextHop, CollectionsMarshal.AsSpan(prefixes), attributes.NextHop, pathIds: ids);
        }
        else
        {
            messages = UpdatePacker.WriteAnnouncements(writer, context, attributes, CollectionsMarshal.AsSpan(prefixes), pathIds: ids);
        }
        return (writer.WrittenSpan.ToArray(), messages);
    }

    public static (byte[] Bytes, int Messages) EncodeWithdrawals(List<RibPrefix> prefixes, List<uint>? pathIds, BgpCodecContext context)
    {
        var writer = new ArrayBufferWriter<byte>();
        var messages = UpdatePacker.WriteWithdrawals(writer, context, CollectionsMarshal.AsSpan(prefixes), pathIds is null ? default : CollectionsMarshal.AsSpan(pathIds));
        return (writer.WrittenSpan.ToArray(), messages);
    }
}
