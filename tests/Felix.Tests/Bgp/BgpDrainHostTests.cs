using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Bgp;

/// <summary>
/// The Node's spec.drain as the BGP host carries it out: GRACEFUL_SHUTDOWN on every route for the
/// wait with nothing withdrawn, then withdraw and close at the withdraw time without any further
/// datastore change, and back in service when the field goes; a restarted agent of a drained node
/// never starts its sessions.
/// </summary>
[Collection("BgpBackendHost by fake time")]
public sealed class BgpDrainHostTests : IAsyncLifetime
{
    private static readonly IPNetwork Block = IPNetwork.Parse("10.244.1.0/26");
    private static readonly BgpPeerConfig Tor = new(IPAddress.Parse("192.0.2.2"), 65001, PeerType.Global, "BGPPeer tor");
    private static readonly BgpLocalConfig Local = new(64512, IPAddress.Parse("10.0.0.1"), [IPAddress.Parse("10.0.0.1")], 179, null, false);

    private readonly RecordingBackend _backend = new();
    private readonly BgpHostHarness _harness;
    private readonly FakeTimeProvider _time;
    private readonly HealthRegistry _health;
    private readonly BgpBackendHost _host;

    public BgpDrainHostTests()
    {
        _harness = new BgpHostHarness(_backend);
        (_time, _health, _host) = (_harness.Time, _harness.Health, _harness.Host);
    }

    public Task InitializeAsync() => _harness.StartRoutesAsync();

    public Task DisposeAsync() => _harness.StopAsync();

    [Fact]
    public async Task Drain_TaggedForTheWait_ThenWithdrawnAtItsTime_UncordonStartsAgainUntagged()
    {
        _host.Configure(Local);
        _host.SetPeers([Tor], BgpImport.Nothing);
        _host.SetAdvertisements([Block]);
        await _host.StartAsync(CancellationToken.None);
        await WaitFor(() => _backend.Advertised.Contains(Block), "the block announced");

        _host.SetDrain(new NodeDrain { Since = _time.GetUtcNow(), GracefulShutdownSeconds = 30 });

        await WaitFor(() => _backend.GracefulShutdown, "every route tagged with 65535:0");
        Assert.Equal(DrainPhase.GracefulShutdown, _host.Drain.Phase);
        Assert.Equal(0, _backend.Shutdowns);
        Assert.Contains(Block, _backend.Advertised);
        Assert.Equal(DrainPhase.GracefulShutdown, Assert.Single(await _host.GetPeersAsync(CancellationToken.None)).Drain);

        _time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(100);
        Assert.Equal(0, _backend.Shutdowns);

        // No datastore change: the withdraw time alone (and a few ms after it) brings the withdraw and the Cease.
        _time.Advance(TimeSpan.FromSeconds(1.1));
        await WaitFor(() => _host.Drain.Phase == DrainPhase.Drained, "withdrawn and closed at the withdraw time");
        Assert.Equal(1, _backend.Shutdowns);
        var drained = Assert.Single(await _host.GetPeersAsync(CancellationToken.None));
        Assert.Equal((PeerState.Idle, DrainPhase.Drained), (drained.State, drained.Drain));
        var bgp = _health.Snapshot().Single(c => c.Name == HealthRegistry.Bgp);
        Assert.True(bgp.Degraded);
        Assert.Contains("node uncordon", bgp.Detail, StringComparison.Ordinal);
        // Still out after further changes from the datastore.
        _host.SetAdvertisements([Block, IPNetwork.Parse("10.244.1.64/26")]);
        await Task.Delay(100);
        Assert.Equal(1, _backend.Starts);

        _host.SetDrain(null);

        await WaitFor(() => _backend.Starts == 2 && _backend.Advertised.Contains(Block), "started again with its routes");
        Assert.False(_backend.GracefulShutdown);
        Assert.Equal(DrainPhase.InService, _host.Drain.Phase);
        await WaitFor(() => _health.Snapshot().Single(c => c.Name == HealthRegistry.Bgp) is { Ready: true, Degraded: false }, "BGP healthy again");
    }

    [Fact]
    public async Task Start_NodeDrainedBefore_NoSessionStarted_UncordonStartsIt()
    {
        _host.SetDrain(new NodeDrain { Since = _time.GetUtcNow() - TimeSpan.FromMinutes(5), GracefulShutdownSeconds = 30 });
        _host.Configure(Local);
        _host.SetPeers([Tor], BgpImport.Nothing);
        _host.SetAdvertisements([Block]);

        await _host.StartAsync(CancellationToken.None);

        await WaitFor(() => _host.Drain.Phase == DrainPhase.Drained, "drained from the start");
        await Task.Delay(100);
        Assert.Equal(0, _backend.Starts);
        Assert.Empty(_backend.Advertised);
        Assert.Contains("drained", _health.Snapshot().Single(c => c.Name == HealthRegistry.Bgp).Detail, StringComparison.Ordinal);

        _host.SetDrain(null);

        await WaitFor(() => _backend.Starts == 1 && _backend.Advertised.Contains(Block), "started once the drain is undone");
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), what);
    }

    /// <summary>Records what the host asked for; a shutdown forgets the advertisements, as a closed speaker's peers do.</summary>
    private sealed class RecordingBackend : IBgpBackend
    {
        private readonly Channel<IReadOnlyList<BestRoute>> _best = Channel.CreateUnbounded<IReadOnlyList<BestRoute>>();
        private volatile IReadOnlyList<BgpPeerConfig> _peers = [];

        public volatile bool GracefulShutdown;

        public int Starts { get; private set; }

        public int Shutdowns { get; private set; }

        public HashSet<IPNetwork> Advertised { get; } = [];

        public ChannelReader<IReadOnlyList<BestRoute>> BestRoutes => _best.Reader;

        public string Name => "fake";

        public long? RoutesSelectedAfter => 0;

        public IReadOnlyList<string> Limits { get; } = [];

        public Task StartAsync(BgpLocalConfig local, CancellationToken cancellationToken)
        {
            Starts++;
            GracefulShutdown = false;
            return Task.CompletedTask;
        }

        public Task SetPeersAsync(IReadOnlyList<BgpPeerConfig> peers, BgpImport import, CancellationToken cancellationToken)
        {
            _peers = peers;
            return Task.CompletedTask;
        }

        public Task SetAdvertisementsAsync(IReadOnlyCollection<IPNetwork> prefixes, CancellationToken cancellationToken)
        {
            lock (Advertised)
            {
                Advertised.Clear();
                Advertised.UnionWith(prefixes);
            }
            return Task.CompletedTask;
        }

        public Task SetGracefulShutdownAsync(bool on, CancellationToken cancellationToken)
        {
            GracefulShutdown = on;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<BgpPeerStatus>>([.. _peers.Select(p => new BgpPeerStatus(p, PeerState.Established, DateTimeOffset.UnixEpoch, null, 0, 0, 1, 0, 1, 1))]);

        public Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BgpRibEntry>>([]);

        public Task<PeerCommandResult> ResetPeerAsync(IPAddress peer, CancellationToken cancellationToken) => Task.FromResult(PeerCommandResult.NotConfigured);

        public Task<PeerCommandResult> RefreshPeerAsync(IPAddress peer, CancellationToken cancellationToken) => Task.FromResult(PeerCommandResult.NotConfigured);

        public Task ShutdownAsync(CancellationToken cancellationToken)
        {
            Shutdowns++;
            GracefulShutdown = false;
            lock (Advertised)
            {
                Advertised.Clear();
            }
            _peers = [];
            return Task.CompletedTask;
        }

        public Task StopForRestartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            _best.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
