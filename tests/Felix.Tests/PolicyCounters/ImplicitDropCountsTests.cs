using RoutedNet.Felix.PolicyCounters;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Tests.PolicyCounters;

/// <summary>The drops no rule made, from the static chains' counters: each tier's shared end, the unknown-interface drop and the drop of revoked flows.</summary>
public sealed class ImplicitDropCountsTests
{
    [Fact]
    public void Collect_TierEndsUnknownInterfacesAndRevokedFlows_FixedSeriesWithTheirCounters()
    {
        // The table as a dump returns it: the plan's skeleton rules, counters filled in per chain.
        var plan = PolicyRuleCountsTests.Plan(PolicyRuleCountsTests.Mixed());
        var values = new Dictionary<string, (ulong, ulong)>
        {
            [PolicyTable.EndOfTierChain("default", ingress: true)] = (4, 336),
            [PolicyTable.FromWorkload] = (2, 168),
            [PolicyTable.RevokedChain(ingress: true)] = (7, 588),
            ["tw-rna"] = (99, 9900), // the endpoint chain's rules: none of them a drop that counts here
        };
        var rules = plan.Dataplane.Chains.Values.SelectMany(c => c.Rules)
            .Select(r => r with { Expressions = [.. r.Expressions.Select(e => e.Name == "counter" && values.TryGetValue(r.Chain, out var v) ? NftExpression.Counter(v.Item1, v.Item2) : e)] });

        var drops = ImplicitDropCounts.Collect(rules);

        Assert.Equal(10, drops.Count);
        Assert.Equal(new ImplicitDropCounter("default", "ingress", "end-of-tier", 4, 336), Assert.Single(drops, d => d.Packets == 4));
        Assert.Equal(new ImplicitDropCounter("", "egress", "unknown-endpoint", 2, 168), Assert.Single(drops, d => d.Packets == 2));
        Assert.Equal(new ImplicitDropCounter("", "ingress", "revoked", 7, 588), Assert.Single(drops, d => d.Packets == 7));
        Assert.Equal(7, drops.Count(d => d.Packets == 0));
        Assert.Equal(["admin", "admin", "default", "default", "baseline", "baseline", "", "", "", ""], drops.Select(d => d.Tier));
    }
}
