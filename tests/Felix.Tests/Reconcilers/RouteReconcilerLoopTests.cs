using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Reconcilers;

/// <summary>The loop around the route table: events, backoff after failures, periodic resync, health.</summary>
public sealed class RouteReconcilerLoopTests : IAsyncLifetime
{
    private static readonly IPNetwork Block = IPNetwork.Parse("10.244.1.0/24");

    private readonly InMemoryFakeKernel _kernel = new();
    private readonly FakeTimeProvider _time = new();
    private readonly HealthRegistry _health = new();
    private readonly ReconcileMetrics _metrics = new();
    private readonly RouteReconciler _reconciler;

    public RouteReconcilerLoopTests()
    {
        var options = new AgentOptions { NodeName = "n1", ResyncInterval = TimeSpan.FromSeconds(30) };
        _reconciler = new RouteReconciler(_kernel, options, _time, _health, _metrics, NullLogger<RouteReconciler>.Instance);
    }

    public Task InitializeAsync() => _reconciler.StartAsync(CancellationToken.None);

    public Task DisposeAsync() => _reconciler.StopAsync(CancellationToken.None);

    /// <summary>Waits (in real time, bounded) for the loop's background work; the fake clock only moves when told.</summary>
    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    private ComponentHealth RouteHealth() => _health.Snapshot().Single(c => c.Name == HealthRegistry.Routes);

    [Fact]
    public async Task Loop_SourcesInSyncAndApplied_ReportsReady()
    {
        _reconciler.SetRoutes(RouteKind.Blackhole, [(BgpPrefix.FromIPNetwork(Block), RouteTarget.Blackhole)]);
        _reconciler.MarkInSync(RouteKind.Workload);
        _reconciler.MarkInSync(RouteKind.Blackhole);

        await WaitFor(() => _kernel.Routes.ContainsKey(Block) && RouteHealth().Ready);
        Assert.Equal(1, (await _reconciler.ReportAsync(fresh: false, CancellationToken.None)).Routes.Count(r => r.State == RouteState.Ok));
    }

    [Fact]
    public async Task Loop_TableLargerThanAPass_AllAppliedInPassesWithoutTheClockMovingAndWithdrawalsKept()
    {
        var gateway = RouteTarget.Via([IPAddress.Parse("172.18.0.3")]);
        var total = (2 * MainRouteTable.ApplyPass) + 100;
        var announced = Enumerable.Range(0, total).Select(i => (BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32), (RouteTarget?)gateway)).ToList();
        _reconciler.MarkInSync(RouteKind.Workload);
        _reconciler.MarkInSync(RouteKind.Blackhole);
        _reconciler.MarkInSync(RouteKind.Bgp);

        _reconciler.SetRoutes(RouteKind.Bgp, announced);
        _reconciler.SetRoutes(RouteKind.Bgp, [(announced[0].Item1, null), (announced[^1].Item1, null)]);

        await WaitFor(() => _kernel.Routes.Count == total - 2 && RouteHealth().Ready);
        Assert.False(_kernel.Routes.ContainsKey(announced[0].Item1.ToIPNetwork()));
        Assert.False(_kernel.Routes.ContainsKey(announced[^1].Item1.ToIPNetwork()));
    }

    [Fact]
    public async Task Loop_ApplyFails_DegradedThenRetriedAfterBackoff()
    {
        _kernel.FailWrites = "ENOBUFS";
        _reconciler.SetRoutes(RouteKind.Blackhole, [(BgpPrefix.FromIPNetwork(Block), RouteTarget.Blackhole)]);
        await WaitFor(() => RouteHealth().Degraded);
        Assert.Contains("ENOBUFS", RouteHealth().Detail, StringComparison.Ordinal);
        Assert.True(_metrics.Failures[HealthRegistry.Routes] >= 1);

        _kernel.FailWrites = null;
        await WaitFor(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return _kernel.Routes.ContainsKey(Block);
        });
        Assert.False(RouteHealth().Degraded);
    }

    [Fact]
    public async Task Loop_RouteDeletedByHand_RestoredAtNextResync()
    {
        _reconciler.SetRoutes(RouteKind.Blackhole, [(BgpPrefix.FromIPNetwork(Block), RouteTarget.Blackhole)]);
        await WaitFor(() => _kernel.Routes.ContainsKey(Block));
        var applies = _kernel.ApplyCalls;

        _kernel.DeleteRoute(Block.ToString());
        _time.Advance(TimeSpan.FromSeconds(30));

        await WaitFor(() => _kernel.Routes.ContainsKey(Block));
        Assert.True(_kernel.ApplyCalls > applies);
    }

    [Fact]
    public async Task Loop_ResyncTookLong_NextResyncWaitsTenTimesAsLong()
    {
        _reconciler.SetRoutes(RouteKind.Blackhole, [(BgpPrefix.FromIPNetwork(Block), RouteTarget.Blackhole)]);
        await WaitFor(() => _kernel.Routes.ContainsKey(Block));
        var slowResyncs = 0;
        _kernel.OnListRoutes = () =>
        {
            _kernel.OnListRoutes = null;
            _time.Advance(TimeSpan.FromSeconds(10));   // a read-back of a big table on a busy node
            slowResyncs++;
        };
        _time.Advance(TimeSpan.FromSeconds(30));        // t=30: resync, done at t=40
        await WaitFor(() => slowResyncs == 1);
        await _reconciler.ReportAsync(fresh: false, CancellationToken.None);   // the loop is past that pass

        _kernel.DeleteRoute(Block.ToString());
        _time.Advance(TimeSpan.FromSeconds(30));        // t=70: a fixed 30 s interval would resync now
        await Task.Delay(200);
        Assert.False(_kernel.Routes.ContainsKey(Block));

        _time.Advance(TimeSpan.FromSeconds(70));        // t=140: 40 s + 10 x 10 s
        await WaitFor(() => _kernel.Routes.ContainsKey(Block));
    }
}
