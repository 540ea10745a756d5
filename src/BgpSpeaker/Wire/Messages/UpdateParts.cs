using System.Net;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// The pieces of one UPDATE as spans, so that <see cref="UpdateMessage"/> and <see cref="UpdatePacker"/>
/// share one encoder and the packer can write slices of a large prefix list without copying them.
/// </summary>
internal readonly ref struct UpdateParts
{
    public ReadOnlySpan<BgpPrefix> Withdrawn { get; init; }

    /// <summary>ADD-PATH (RFC 7911): one identifier per prefix of the list beside it, or empty when the list carries none.</summary>
    public ReadOnlySpan<uint> WithdrawnPathIds { get; init; }

    public PathAttributes Attributes { get; init; }

    public ReadOnlySpan<BgpPrefix> Nlri { get; init; }

    public ReadOnlySpan<uint> NlriPathIds { get; init; }

    /// <summary>Set when an MP_REACH_NLRI is written; then <see cref="ReachFamily"/> and <see cref="ReachNlri"/> apply.</summary>
    public IPAddress? ReachNextHop { get; init; }

    public IPAddress? ReachLinkLocal { get; init; }

    public AfiSafi ReachFamily { get; init; }

    public ReadOnlySpan<BgpPrefix> ReachNlri { get; init; }

    public ReadOnlySpan<uint> ReachPathIds { get; init; }

    public bool HasUnreach { get; init; }

    public AfiSafi UnreachFamily { get; init; }

    public ReadOnlySpan<BgpPrefix> UnreachNlri { get; init; }

    public ReadOnlySpan<uint> UnreachPathIds { get; init; }

    public int ReachNextHopLength => ReachNextHop is null ? 0 : ReachFamily.Afi == Afi.Ipv6 ? (ReachLinkLocal is null ? 16 : 32) : 4;
}
