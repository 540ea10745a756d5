using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.PolicyDrops;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.PolicyCounters;

/// <summary>
/// The drops of the table's static chains, from a rule dump: each tier's shared end-of-tier chain
/// (tier-end-TIER-i/-e: every endpoint chain's tier end goes there) and the unknown-interface drop
/// of from-wl / to-wl, and the drops of revoked flows (revoked-e / revoked-i). These chains are
/// never rewritten, so their counters only grow (and survive agent restarts). Every tier and
/// direction is listed, 0 included: a fixed set of 10 series.
/// </summary>
public static class ImplicitDropCounts
{
    public static IReadOnlyList<ImplicitDropCounter> Collect(IEnumerable<NftRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var keys = new List<(string Chain, string Tier, string Direction, DropReason Reason)>();
        foreach (var tier in PolicySpec.Tiers)
        {
            keys.Add((PolicyTable.EndOfTierChain(tier, ingress: false), tier, "egress", DropReason.EndOfTier));
            keys.Add((PolicyTable.EndOfTierChain(tier, ingress: true), tier, "ingress", DropReason.EndOfTier));
        }
        keys.Add((PolicyTable.FromWorkload, "", "egress", DropReason.UnknownEndpoint));
        keys.Add((PolicyTable.ToWorkload, "", "ingress", DropReason.UnknownEndpoint));
        keys.Add((PolicyTable.RevokedChain(ingress: false), "", "egress", DropReason.Revoked));
        keys.Add((PolicyTable.RevokedChain(ingress: true), "", "ingress", DropReason.Revoked));
        var totals = keys.ToDictionary(k => k.Chain, _ => (Packets: 0UL, Bytes: 0UL), StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!totals.TryGetValue(rule.Chain, out var sum))
            {
                continue;
            }
            foreach (var expression in rule.Expressions)
            {
                // from-wl / to-wl: only the drop counts (the dispatch and the drop log have no counter).
                if (expression.TryGetCounter(out var packets, out var bytes))
                {
                    sum = (sum.Packets + packets, sum.Bytes + bytes);
                }
            }
            totals[rule.Chain] = sum;
        }
        return [.. keys.Select(k => new ImplicitDropCounter(k.Tier, k.Direction, DropText.Of(k.Reason), totals[k.Chain].Packets, totals[k.Chain].Bytes))];
    }
}
