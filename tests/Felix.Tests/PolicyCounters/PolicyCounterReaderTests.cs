using Microsoft.Extensions.Time.Testing;
using RoutedNet.Felix.PolicyCounters;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Tests.PolicyCounters;

/// <summary>
/// Reading the counters when asked: one dump however many ask within a second, none before the
/// first commit, and a failed dump gives no series (not stale ones) and counts as an nft error.
/// </summary>
public sealed class PolicyCounterReaderTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly PolicyStatus _status = new();
    private int _dumps;
    private Exception? _failure;

    private PolicyCounterReader Reader(List<NftRule> rules) => new(_status, _time, () =>
    {
        _dumps++;
        return _failure is { } failure ? throw failure : rules;
    });

    private void Commit(PolicyPlan plan) =>
        _status.Publish(new PolicyStatus.Snapshot(1, [], [], 1, 1, null, DateTimeOffset.UnixEpoch, 0) { PolicyChains = plan.PolicyChains });

    [Fact]
    public void Read_BeforeTheFirstCommit_EmptyWithoutADump()
    {
        using var reader = Reader([]);

        Assert.Same(PolicyCounterSnapshot.Empty, reader.Read());
        Assert.Equal(0, _dumps);
    }

    [Fact]
    public void Read_TwiceWithinMaxAge_OneDump_ThenFreshValues()
    {
        var plan = PolicyRuleCountsTests.Plan(PolicyRuleCountsTests.Mixed());
        Commit(plan);
        ulong packets = 1;
        using var reader = new PolicyCounterReader(_status, _time, () =>
        {
            _dumps++;
            return PolicyRuleCountsTests.Dumped(plan, (_, _) => (packets, packets * 100));
        });

        Assert.Equal(1UL, reader.Read().Rules[0].Packets);
        packets = 2;
        _time.Advance(PolicyCounterReader.MaxAge / 2);
        Assert.Equal(1UL, reader.Read().Rules[0].Packets);
        Assert.Equal(1, _dumps);
        _time.Advance(PolicyCounterReader.MaxAge / 2);
        Assert.Equal(2UL, reader.Read().Rules[0].Packets);
        Assert.Equal(2, _dumps);
    }

    [Fact]
    public void Read_DumpRefused_NoSeriesAndAnNftError()
    {
        var plan = PolicyRuleCountsTests.Plan(PolicyRuleCountsTests.Mixed());
        Commit(plan);
        using var reader = Reader(PolicyRuleCountsTests.Dumped(plan, (_, _) => (1, 1)));
        Assert.NotEmpty(reader.Read().Rules);

        _failure = new NetlinkException(Errno.ENOENT, "nft list table inet routednet", null);
        _time.Advance(PolicyCounterReader.MaxAge);

        Assert.Same(PolicyCounterSnapshot.Empty, reader.Read());
        Assert.Equal(1, _status.Errors);
    }
}
