using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>
/// The statements a drop is logged with, in a rule of its own just before the dropping rule (same
/// matches): `limit rate 10/second log prefix "rn:…" group 7`. Its own rule because a limit that
/// runs out ends the rule: in the drop rule it would let the packet through.
/// </summary>
public static class DropLogRule
{
    /// <summary>Per rule: a flood of refused packets costs the node at most this many log messages a second.</summary>
    public const ulong RatePerSecond = 10;

    public static NftExpression[] Expressions(DropDirection direction, DropReason reason, string id) =>
        [NftExpression.Limit(RatePerSecond), NftExpression.LogGroup(PolicyDropRecorder.Group, DropLogPrefix.Format(direction, reason, id))];
}
