using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Felix.Tests.PolicyCounters;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Tests.Reconcilers.Policy;

/// <summary>What the incremental programming writes after a read-back (an agent restart, the periodic repair).</summary>
public sealed class PolicyDataplaneDiffTests
{
    [Fact]
    public void Plan_ReadBackWithCounterValues_NothingToWrite_NothingNarrowed()
    {
        // Every counter of the table has counted traffic: values are the kernel's, not drift, and a
        // rewrite would set them back to 0 (and cost the chain's handles).
        var plan = PolicyRuleCountsTests.Plan(PolicyRuleCountsTests.Mixed());
        var dumped = PolicyRuleCountsTests.Dumped(plan, (_, nth) => (41 + (ulong)nth, 4100));
        var readBack = new PolicyDataplane(
            plan.Dataplane.Sets,
            plan.Dataplane.Chains.ToDictionary(c => c.Key, c => c.Value with { Rules = [.. dumped.Where(r => r.Chain == c.Key)] }, StringComparer.Ordinal));
        Assert.Contains(readBack.Chains.Values.SelectMany(c => c.Rules).SelectMany(r => r.Expressions), e => e.TryGetCounter(out var packets, out _) && packets > 0);

        var batch = new NftBatch();

        Assert.False(PolicyDataplaneDiff.Plan(plan.Dataplane, readBack, batch));
        Assert.Equal(0, batch.Count);
        Assert.False(PolicyDataplaneDiff.CanNarrow(plan.Dataplane, readBack));
    }
}
