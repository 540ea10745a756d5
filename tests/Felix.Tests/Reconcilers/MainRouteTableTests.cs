using System.Net;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Reconcilers;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Reconcilers;

public sealed class MainRouteTableTests
{
    private const byte Ours = RouteOwnership.Protocol;
    private const byte Static = 4;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly InMemoryFakeKernel _kernel = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MainRouteTable _table;

    public MainRouteTableTests()
    {
        _kernel.AddLink("eth0");
        _table = new MainRouteTable(_kernel, _time, Grace);
    }

    private static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    private void AllSourcesInSync()
    {
        _table.MarkInSync(RouteKind.Workload);
        _table.MarkInSync(RouteKind.Blackhole);
        _table.MarkInSync(RouteKind.Bgp);
    }

    [Fact]
    public void Apply_WorkloadBlackholeAndBgp_InstallsEachWithOurProtocol()
    {
        _kernel.AddLink("rn1");
        _table.Resync();
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));
        _table.SetRoute(RouteKind.Blackhole, BgpPrefix.Parse("10.244.1.0/24"), RouteTarget.Blackhole);
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), RouteTarget.Via([Ip("172.18.0.3"), Ip("172.18.0.2")]));

        var outcome = _table.Apply();

        Assert.Null(outcome.Error);
        Assert.Equal(RouteTarget.ToDevice("rn1"), _kernel.Routes[Net("10.244.1.5/32")].Target);
        Assert.Equal(RouteTarget.Blackhole, _kernel.Routes[Net("10.244.1.0/24")].Target);
        Assert.Equal([Ip("172.18.0.2"), Ip("172.18.0.3")], _kernel.Routes[Net("10.244.2.0/24")].Target.Gateways);
        Assert.All(_kernel.Routes.Values, r => Assert.Equal(Ours, r.Protocol));
        Assert.True(_table.InSync);
    }

    [Fact]
    public void Apply_NothingChanged_WritesNothing()
    {
        _kernel.AddLink("rn1");
        _table.Resync();
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));
        _table.Apply();
        var writes = _kernel.Writes.Count;

        _table.Resync();
        _table.Apply();

        Assert.Equal(writes, _kernel.Writes.Count);
    }

    [Fact]
    public void Apply_ForeignRouteHoldsDesiredPrefix_LeavesItAloneAndReportsConflict()
    {
        _kernel.AddLink("rn1");
        _kernel.AddRoute("10.244.1.5/32", RouteTarget.Via([Ip("192.0.2.1")]), Static);
        _table.Resync();
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));

        _table.Apply();

        Assert.Equal(Static, _kernel.Routes[Net("10.244.1.5/32")].Protocol);
        Assert.Empty(_kernel.Writes);
        var entry = Assert.Single(_table.Report().Routes);
        Assert.Equal(RouteState.Conflict, entry.State);
        Assert.Equal(Static, entry.ForeignProtocol);
    }

    [Fact]
    public void Apply_PodRouteAddedByThePluginSinceTheReadBack_AdoptedWithoutAFailure()
    {
        _kernel.AddLink("rn1");
        _table.Resync();
        // The CNI plugin routes its new pod itself (our protocol), before the agent hears of it.
        _kernel.AddRoute("10.244.1.5/32", RouteTarget.ToDevice("rn1"), Ours);
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));

        var first = _table.Apply();
        var second = _table.Apply();

        Assert.Null(first.Error);
        Assert.Null(second.Error);
        Assert.DoesNotContain(_kernel.Writes, w => !w.CreateOnly);
        Assert.True(_table.InSync);
        Assert.Equal(RouteState.Ok, Assert.Single(_table.Report().Routes).State);
    }

    [Fact]
    public void Apply_RouteOfOursWithAnotherTargetSinceTheReadBack_AdoptedThenCorrected()
    {
        _kernel.AddLink("rn1");
        _kernel.AddLink("rn2");
        _table.Resync();
        _kernel.AddRoute("10.244.1.5/32", RouteTarget.ToDevice("rn2"), Ours);
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));

        Assert.Null(_table.Apply().Error);
        Assert.Null(_table.Apply().Error);

        Assert.Equal(RouteTarget.ToDevice("rn1"), _kernel.Routes[Net("10.244.1.5/32")].Target);
        Assert.True(_table.InSync);
    }

    [Fact]
    public void Apply_ForeignRouteAddedSinceTheReadBack_LeftAloneAndReportedAsConflict_NotAFailure()
    {
        _kernel.AddLink("rn1");
        _table.Resync();
        _kernel.AddRoute("10.244.1.5/32", RouteTarget.Via([Ip("192.0.2.1")]), Static);
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));

        var outcome = _table.Apply();

        Assert.Null(outcome.Error);
        Assert.Equal(Static, _kernel.Routes[Net("10.244.1.5/32")].Protocol);
        var entry = Assert.Single(_table.Report().Routes);
        Assert.Equal(RouteState.Conflict, entry.State);
        Assert.Equal(Static, entry.ForeignProtocol);
    }

    [Fact]
    public void Apply_ForeignRouteOutsideOurPrefixes_NeverTouchedNorReported()
    {
        _kernel.AddRoute("192.168.50.0/24", RouteTarget.Via([Ip("192.0.2.1")]), Static);
        _table.Resync();
        AllSourcesInSync();

        _table.Apply();

        Assert.True(_kernel.Routes.ContainsKey(Net("192.168.50.0/24")));
        Assert.Empty(_kernel.Writes);
        Assert.Empty(_table.Report().Routes);
    }

    [Fact]
    public void Report_ForeignRouteInsideOurBlock_IsAConflict()
    {
        _kernel.AddRoute("10.244.1.64/26", RouteTarget.Via([Ip("192.0.2.1")]), Static);
        _table.Resync();
        _table.SetRoute(RouteKind.Blackhole, BgpPrefix.Parse("10.244.1.0/24"), RouteTarget.Blackhole);
        _table.Apply();

        var conflict = Assert.Single(_table.Report().Routes, r => r.Kind is null);

        Assert.Equal(RouteState.Conflict, conflict.State);
        Assert.Equal(Net("10.244.1.64/26"), conflict.Prefix);
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.1.64/26")));
    }

    [Fact]
    public void Apply_StrayRouteOfOursBeforeSourceInSync_IsKept()
    {
        _kernel.AddRoute("10.244.9.0/24", RouteTarget.Blackhole, Ours);
        _table.Resync();

        _table.Apply();

        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.9.0/24")));
        Assert.Equal(RouteState.Unexpected, Assert.Single(_table.Report().Routes).State);
    }

    [Fact]
    public void Apply_StrayBlackholeOfOursAfterSync_IsDeleted()
    {
        _kernel.AddRoute("10.244.9.0/24", RouteTarget.Blackhole, Ours);
        _table.Resync();
        AllSourcesInSync();

        _table.Apply();

        Assert.False(_kernel.Routes.ContainsKey(Net("10.244.9.0/24")));
        Assert.Empty(_table.Report().Routes);
    }

    [Fact]
    public void Apply_StaleBgpRouteWhileBgpRelearning_KeptUntilBgpInSync()
    {
        _kernel.AddRoute("10.244.7.0/24", RouteTarget.Via([Ip("172.18.0.7")]), Ours);
        _table.Resync();
        _table.MarkInSync(RouteKind.Workload);
        _table.MarkInSync(RouteKind.Blackhole);

        _table.Apply();
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.7.0/24")));

        _table.MarkInSync(RouteKind.Bgp);
        _table.Apply();
        Assert.False(_kernel.Routes.ContainsKey(Net("10.244.7.0/24")));
    }

    [Fact]
    public void RestartSource_BgpRoutesKeptWhileRelearnedThenOnlyTheUnlearnedGo()
    {
        _table.Resync();
        AllSourcesInSync();
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), RouteTarget.Via([Ip("172.18.0.3")]));
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.3.0/24"), RouteTarget.Via([Ip("172.18.0.4")]));
        _table.Apply();

        _table.RestartSource(RouteKind.Bgp);
        _table.Apply();
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.2.0/24")));
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.3.0/24")));

        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), RouteTarget.Via([Ip("172.18.0.3")]));
        _table.MarkInSync(RouteKind.Bgp);
        _table.Apply();
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.2.0/24")));
        Assert.False(_kernel.Routes.ContainsKey(Net("10.244.3.0/24")));
    }

    [Fact]
    public void Apply_StrayPodRouteOnNewInterface_DeletedOnlyAfterGracePeriod()
    {
        _kernel.AddLink("rn9");
        _kernel.AddRoute("10.244.1.9/32", RouteTarget.ToDevice("rn9"), Ours);
        _table.Resync();
        AllSourcesInSync();

        var first = _table.Apply();
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.1.9/32")));
        Assert.Equal(_time.GetUtcNow() + Grace, first.WakeAt);

        _time.Advance(Grace);
        _table.Apply();
        Assert.False(_kernel.Routes.ContainsKey(Net("10.244.1.9/32")));
    }

    [Fact]
    public void Apply_PodRouteExplainedWithinGrace_IsKeptAndNotRewritten()
    {
        _kernel.AddLink("rn9");
        _kernel.AddRoute("10.244.1.9/32", RouteTarget.ToDevice("rn9"), Ours);
        _table.Resync();
        AllSourcesInSync();
        _table.Apply();

        _time.Advance(TimeSpan.FromSeconds(3));
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.9/32"), RouteTarget.ToDevice("rn9"));
        _time.Advance(Grace);
        _table.Apply();

        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.1.9/32")));
        Assert.Empty(_kernel.Writes);
    }

    [Fact]
    public void Apply_PodInterfaceMissing_NotAttemptedAndReportedMissing()
    {
        _table.Resync();
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn404"));

        var outcome = _table.Apply();

        Assert.Null(outcome.Error);
        Assert.Equal(_time.GetUtcNow() + MainRouteTable.MissingDeviceRetry, outcome.WakeAt);
        Assert.Empty(_kernel.Writes);
        var entry = Assert.Single(_table.Report().Routes);
        Assert.Equal(RouteState.Missing, entry.State);
        Assert.Contains("rn404", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_PodInterfaceNotUpYet_NoFailureReportedMissingThenInstalledOnceUp()
    {
        // The agent hears of a pod from its allocation, before the plugin has set the veth up.
        _kernel.AddLink("rn1");
        _kernel.SetLinkDown("rn1", down: true);
        _table.Resync();
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));

        var outcome = _table.Apply();

        Assert.Null(outcome.Error);
        Assert.Equal(_time.GetUtcNow() + MainRouteTable.MissingDeviceRetry, outcome.WakeAt);
        var entry = Assert.Single(_table.Report().Routes);
        Assert.Equal(RouteState.Missing, entry.State);
        Assert.Equal("interface rn1 is not up", entry.Detail);

        _kernel.SetLinkDown("rn1", down: false);
        _time.Advance(MainRouteTable.MissingDeviceRetry);
        outcome = _table.Apply();

        Assert.Null(outcome.Error);
        Assert.Equal(RouteTarget.ToDevice("rn1"), _kernel.Routes[Net("10.244.1.5/32")].Target);
    }

    [Fact]
    public void Resync_RouteDeletedByHand_ReportedMissingThenRestored()
    {
        _table.Resync();
        _table.SetRoute(RouteKind.Blackhole, BgpPrefix.Parse("10.244.1.0/24"), RouteTarget.Blackhole);
        _table.Apply();
        _kernel.DeleteRoute("10.244.1.0/24");

        _table.Resync();
        Assert.Equal(RouteState.MissingBlackhole, Assert.Single(_table.Report().Routes).State);

        _table.Apply();
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.1.0/24")));
        Assert.True(_table.Report().AllOk);
    }

    [Fact]
    public void Resync_OurRouteChangedByHand_ReportedWrongNextHopThenRepaired()
    {
        _table.Resync();
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), RouteTarget.Via([Ip("172.18.0.2")]));
        _table.Apply();
        _kernel.AddRoute("10.244.2.0/24", RouteTarget.Via([Ip("172.18.0.99")]), Ours);

        _table.Resync();
        Assert.Equal(RouteState.WrongNextHop, Assert.Single(_table.Report().Routes).State);

        _table.Apply();
        Assert.Equal([Ip("172.18.0.2")], _kernel.Routes[Net("10.244.2.0/24")].Target.Gateways);
    }

    [Fact]
    public void Resync_ReadBackCutOffHalfway_NextApplyReadsAgainAndWritesNothingTwice()
    {
        _table.Resync();
        AllSourcesInSync();
        var gateway = RouteTarget.Via([Ip("172.18.0.3")]);
        foreach (var prefix in new[] { "10.244.2.0/24", "10.244.3.0/24", "10.244.4.0/24" })
        {
            _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse(prefix), gateway);
        }
        _table.Apply();
        var writes = _kernel.Writes.Count;
        _kernel.FailScan = new InvalidOperationException("netlink dump: EINTR");
        _kernel.ScanRoutesBeforeFailure = 1;

        Assert.Throws<InvalidOperationException>(() => _table.Resync());
        Assert.Throws<InvalidOperationException>(() => _table.Apply());
        _kernel.FailScan = null;
        Assert.Null(_table.Apply().Error);

        Assert.Equal(writes, _kernel.Writes.Count);
        Assert.Equal(3, _table.CountProgrammed(RouteKind.Bgp));
        Assert.True(_table.InSync);
    }

    [Fact]
    public void SetRoute_PodAndBgpWantSamePrefix_PodRouteWins()
    {
        _kernel.AddLink("rn1");
        _table.Resync();
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.Via([Ip("172.18.0.2")]));
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), RouteTarget.ToDevice("rn1"));
        _table.Apply();
        Assert.Equal(RouteTarget.ToDevice("rn1"), _kernel.Routes[Net("10.244.1.5/32")].Target);

        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.5/32"), null);
        _table.Apply();
        Assert.Equal(RouteTarget.Via([Ip("172.18.0.2")]), _kernel.Routes[Net("10.244.1.5/32")].Target);
    }

    [Fact]
    public void Apply_KernelRejectsWrite_ReturnsErrorAndRetriesNextTime()
    {
        _table.Resync();
        _table.SetRoute(RouteKind.Blackhole, BgpPrefix.Parse("10.244.1.0/24"), RouteTarget.Blackhole);
        _kernel.FailWrites = "ENOBUFS";

        var failed = _table.Apply();
        Assert.Contains("ENOBUFS", failed.Error, StringComparison.Ordinal);
        Assert.Equal("ENOBUFS", Assert.Single(_table.Report().Routes).Detail);

        _kernel.FailWrites = null;
        var retried = _table.Apply();
        Assert.Null(retried.Error);
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.1.0/24")));
    }

    [Fact]
    public void Apply_WholeBatchFails_NothingBookedAndAllRetried()
    {
        _table.Resync();
        AllSourcesInSync();
        var gateway = RouteTarget.Via([Ip("172.18.0.3")]);
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), gateway);
        _table.Apply();
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), null);
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.3.0/24"), gateway);
        _kernel.FailBatch = new InvalidOperationException("netlink send: ENOBUFS");

        Assert.Throws<InvalidOperationException>(() => _table.Apply());

        Assert.Equal(1, _table.CountProgrammed(RouteKind.Bgp));
        Assert.False(_table.InSync);
        var states = _table.Report().Routes.ToDictionary(r => r.Prefix.ToString(), r => r.State);
        Assert.Equal(RouteState.Unexpected, states["10.244.2.0/24"]);
        Assert.Equal(RouteState.Missing, states["10.244.3.0/24"]);

        _kernel.FailBatch = null;
        Assert.Null(_table.Apply().Error);

        Assert.Equal([Net("10.244.3.0/24")], _kernel.Routes.Keys);
        Assert.Equal(1, _table.CountProgrammed(RouteKind.Bgp));
        Assert.True(_table.InSync);
    }

    [Fact]
    public void Apply_FullTable_SentInBoundedBatchesAndAFailedBatchLeavesTheRestQueued()
    {
        _table.Resync();
        AllSourcesInSync();
        var gateway = RouteTarget.Via([Ip("172.18.0.3")]);
        for (var i = 0u; i < 2500; i++)
        {
            _table.SetRoute(RouteKind.Bgp, BgpPrefix.FromIpv4(0x64400000u + i, 32), gateway);
        }
        _kernel.FailBatch = new InvalidOperationException("netlink send: ENOBUFS");
        _kernel.BatchesBeforeFailure = 1;

        Assert.Throws<InvalidOperationException>(() => _table.Apply());

        var first = Assert.Single(_kernel.BatchSizes);
        Assert.Equal(first, _kernel.Routes.Count);
        Assert.Equal(first, _table.CountProgrammed(RouteKind.Bgp));
        Assert.False(_table.InSync);

        _kernel.FailBatch = null;
        Assert.Null(_table.Apply().Error);

        Assert.Equal(2500, _kernel.Routes.Count);
        Assert.Equal(2500, _table.CountProgrammed(RouteKind.Bgp));
        Assert.True(_table.InSync);
        Assert.Equal(2500, _kernel.BatchSizes.Sum());
        Assert.All(_kernel.BatchSizes, size => Assert.InRange(size, 1, 1024));
    }

    [Fact]
    public void Apply_MoreThanAPassQueued_AppliesInPassesAndAWithdrawalAfterItsAnnouncementIsNeitherLostNorReordered()
    {
        _table.Resync();
        AllSourcesInSync();
        var first = RouteTarget.Via([Ip("172.18.0.3")]);
        var second = RouteTarget.Via([Ip("172.18.0.4")]);
        var total = (2 * MainRouteTable.ApplyPass) + 100;
        BgpPrefix Prefix(int i) => BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32);
        for (var i = 0; i < total; i++)
        {
            _table.SetRoute(RouteKind.Bgp, Prefix(i), first);
        }

        var outcome = _table.Apply();

        Assert.Null(outcome.Error);
        Assert.Equal(_time.GetUtcNow(), outcome.WakeAt);
        Assert.Equal(MainRouteTable.ApplyPass, _kernel.Routes.Count);
        Assert.False(_table.InSync);

        // Between passes: withdrawn after being applied, withdrawn while still queued, moved while
        // queued, and announced anew (queued behind the passes under way).
        _table.SetRoute(RouteKind.Bgp, Prefix(0), null);
        _table.SetRoute(RouteKind.Bgp, Prefix(total - 1), null);
        _table.SetRoute(RouteKind.Bgp, Prefix(total - 2), second);
        _table.SetRoute(RouteKind.Bgp, Prefix(total), first);
        _table.SetRoute(RouteKind.Bgp, Prefix(total), null);
        _table.SetRoute(RouteKind.Bgp, Prefix(total + 1), second);
        var passes = 1;
        ApplyOutcome more;
        do
        {
            more = _table.Apply();
            Assert.Null(more.Error);
            passes++;
        }
        while (more.WakeAt is not null);

        Assert.Equal(4, passes);
        Assert.True(_table.InSync);
        Assert.Equal(total - 1, _kernel.Routes.Count);
        Assert.False(_kernel.Routes.ContainsKey(Prefix(0).ToIPNetwork()));
        Assert.False(_kernel.Routes.ContainsKey(Prefix(total - 1).ToIPNetwork()));
        Assert.False(_kernel.Routes.ContainsKey(Prefix(total).ToIPNetwork()));
        Assert.Equal(second, _kernel.Routes[Prefix(total - 2).ToIPNetwork()].Target);
        Assert.Equal(second, _kernel.Routes[Prefix(total + 1).ToIPNetwork()].Target);
        Assert.Equal(first, _kernel.Routes[Prefix(1).ToIPNetwork()].Target);
        Assert.Equal(total - 1, _table.CountProgrammed(RouteKind.Bgp));
        Assert.Null(_table.Apply().WakeAt);
    }

    [Fact]
    public void Apply_LinkListingFailsMidway_NothingLostAndAllProgrammedNextTime()
    {
        _table.Resync();
        AllSourcesInSync();
        var gateway = RouteTarget.Via([Ip("172.18.0.3")]);
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.2.0/24"), gateway);
        _table.SetRoute(RouteKind.Workload, BgpPrefix.Parse("10.244.1.7/32"), RouteTarget.ToDevice("rn7"));
        _table.SetRoute(RouteKind.Bgp, BgpPrefix.Parse("10.244.3.0/24"), gateway);
        _kernel.FailListLinks = new InvalidOperationException("netlink dump: EINTR");

        Assert.Throws<InvalidOperationException>(() => _table.Apply());

        Assert.Empty(_kernel.Routes);
        Assert.Equal(0, _table.CountProgrammed(RouteKind.Bgp));
        Assert.False(_table.InSync);

        _kernel.FailListLinks = null;
        _kernel.AddLink("rn7");
        Assert.Null(_table.Apply().Error);

        Assert.Equal(
            [Net("10.244.1.7/32"), Net("10.244.2.0/24"), Net("10.244.3.0/24")],
            _kernel.Routes.Keys.OrderBy(n => n.ToString()));
        Assert.True(_table.InSync);
    }

    [Fact]
    public void ReplaceRoutes_SourceRelisted_RemovesWhatItNoLongerWants()
    {
        _table.Resync();
        AllSourcesInSync();
        _table.SetRoute(RouteKind.Blackhole, BgpPrefix.Parse("10.244.1.0/24"), RouteTarget.Blackhole);
        _table.SetRoute(RouteKind.Blackhole, BgpPrefix.Parse("10.244.3.0/24"), RouteTarget.Blackhole);
        _table.Apply();

        _table.ReplaceRoutes(RouteKind.Blackhole, new Dictionary<IPNetwork, RouteTarget> { [Net("10.244.3.0/24")] = RouteTarget.Blackhole });
        _table.Apply();

        Assert.False(_kernel.Routes.ContainsKey(Net("10.244.1.0/24")));
        Assert.True(_kernel.Routes.ContainsKey(Net("10.244.3.0/24")));
    }
}
