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

    public List<(PathAttributes Attributes, List<RibPrefix> Prefixes)> Announced { get; } = [];

    public RouteFamily? EndOfRib { get; set; }

    public BgpNotification? Reset { get; set; }

    public bool TreatAsWithdraw { get; set; }

    /// <summary>The decoder's description of what was wrong, for the log; null when nothing was.</summary>
    public string? Problem { get; set; }
}
