using System.Collections.Immutable;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Codec;

/// <summary>
/// One decoded UPDATE in RIB terms: withdrawals, announcements grouped by their attributes (one group
/// per address family, since each family has its own next hop), End-of-RIB, and the RFC 7606
/// outcome: <see cref="Reset"/> ends the session; <see cref="TreatAsWithdraw"/> turns every
/// announcement into a withdrawal.
/// </summary>
internal sealed class ReceivedUpdate
{
    public List<RibPrefix> Withdrawn { get; } = [];

    /// <summary>
    /// The ADD-PATH Path Identifier (RFC 7911 §3) of each of <see cref="Withdrawn"/>, in the same
    /// order, where the session receives them; empty otherwise (a session that receives them in one
    /// family only has a placeholder 0 for each prefix of the other, which the import ignores).
    /// </summary>
    public List<uint> WithdrawnPathIds { get; } = [];

    /// <summary>Announcements by attributes; <c>PathIds</c> as long as <c>Prefixes</c> where the family carries ADD-PATH identifiers, else empty.</summary>
    public List<(PathAttributes Attributes, List<RibPrefix> Prefixes, ImmutableArray<uint> PathIds)> Announced { get; } = [];

    public RouteFamily? EndOfRib { get; set; }

    public BgpNotification? Reset { get; set; }

    public bool TreatAsWithdraw { get; set; }

    /// <summary>The decoder's description of what was wrong, for the log; null when nothing was.</summary>
    public string? Problem { get; set; }
}
