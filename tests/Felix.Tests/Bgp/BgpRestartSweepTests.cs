using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Bgp;

/// <summary>
/// After a restart the kernel keeps the BGP routes of the agent before; they are swept only once
/// the new speaker's re-learned table has been applied. Before the fix the sweep ran once the
/// peers had been up for the settle time, while a restarted speaker still deferred route
/// selection (RFC 4724 4.1), deleting the routes to the other nodes' blocks for ~30 ms: lost
/// packets in every few upgrades (HelmClusterTests).
/// </summary>
// One at a time: both drive a BgpBackendHost by fake time, with real-time waits in between.
[Collection("BgpBackendHost by fake time")]
public sealed class BgpRestartSweepTests : IAsyncLifetime
{
    private static readonly IPAddress PeerAddress = IPAddress.Parse("10.0.0.2");
    private static readonly BgpPeerConfig Peer = new(PeerAddress, 64512, PeerType.Mesh, "Node n2");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryFakeKernel _kernel = new();
    private readonly DeferringBackend _backend;
    private readonly BgpHostHarness _harness;
    private readonly BgpBackendHost _host;

    public BgpRestartSweepTests()
    {
        _backend = new DeferringBackend(new BgpPeerStatus(Peer, PeerState.Established, _time.GetUtcNow() - TimeSpan.FromHours(1), null, 2, 2, 1, 0, 3, 3));
        // What the agent before this one installed: n2's block (re-announced) and n3's (gone meanwhile).
        _kernel.AddRoute("10.244.2.0/26", RouteTarget.Via([PeerAddress]), RouteOwnership.Protocol);
        _kernel.AddRoute("10.244.3.0/26", RouteTarget.Via([IPAddress.Parse("10.0.0.3")]), RouteOwnership.Protocol);
        _harness = new BgpHostHarness(_backend, _kernel, _time);
        _host = _harness.Host;
    }

    public async Task InitializeAsync()
    {
        await _harness.StartRoutesAsync();
        _host.Configure(new BgpLocalConfig(64512, IPAddress.Parse("10.0.0.1"), [IPAddress.Parse("10.0.0.1")], 179, null, false));
        _host.SetPeers([Peer], BgpImport.Nothing);
        _host.SetAdvertisements([]);
        await _host.StartAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => _harness.StopAsync();

    [Fact]
    public async Task Restart_PeersUpButSelectionDeferred_NoSweepUntilTheReLearnedTableIsApplied()
    {
        await WaitFor(() => _backend.Started is { RestartingWithRoutesKept: true }, "the speaker started as restarting");

        // The peer has been up for an hour: only the deferred selection holds the sweep back.
        await Pass(TimeSpan.FromSeconds(40));
        Assert.True(_kernel.Routes.ContainsKey(IPNetwork.Parse("10.244.2.0/26")), "swept while the speaker still deferred its selection");
        Assert.True(_kernel.Routes.ContainsKey(IPNetwork.Parse("10.244.3.0/26")));

        _backend.Select([new BestRoute(BgpPrefix.FromIPNetwork(IPNetwork.Parse("10.244.2.0/26")), [PeerAddress])]);

        // Well within the 60 s deferral (40 s passed): the selection, not the deadline, ends it.
        for (var step = 0; step < 15 && _kernel.Routes.ContainsKey(IPNetwork.Parse("10.244.3.0/26")); step++)
        {
            await Pass(TimeSpan.FromSeconds(1));
        }
        Assert.False(_kernel.Routes.ContainsKey(IPNetwork.Parse("10.244.3.0/26")), "the stale route swept once the table was applied");
        Assert.True(_kernel.Routes.ContainsKey(IPNetwork.Parse("10.244.2.0/26")));
        Assert.DoesNotContain(_kernel.Writes, w => w.Route.Destination == IPNetwork.Parse("10.244.2.0/26"));
    }

    // Fake time in steps of the sweep's poll, letting the host's loops run in between.
    private async Task Pass(TimeSpan total)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += TimeSpan.FromSeconds(1))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), what);
    }

    /// <summary>A restarted speaker: its peer up, its route selection deferred until <see cref="Select"/>.</summary>
    private sealed class DeferringBackend(BgpPeerStatus peer) : IBgpBackend
    {
        private readonly Channel<IReadOnlyList<BestRoute>> _best = Channel.CreateUnbounded<IReadOnlyList<BestRoute>>();
        private long? _selectedAfter;

        public BgpLocalConfig? Started { get; private set; }

        public ChannelReader<IReadOnlyList<BestRoute>> BestRoutes => _best.Reader;

        public long? RoutesSelectedAfter => _selectedAfter;

        public string Name => "fake";

        public IReadOnlyList<string> Limits { get; } = [];

        /// <summary>Ends the deferral: the re-learned table in one batch, then the count that includes it.</summary>
        public void Select(IReadOnlyList<BestRoute> table)
        {
            _best.Writer.TryWrite(table);
            _selectedAfter = 1;
        }

        public Task StartAsync(BgpLocalConfig local, CancellationToken cancellationToken)
        {
            Started = local;
            return Task.CompletedTask;
        }

        public Task SetPeersAsync(IReadOnlyList<BgpPeerConfig> peers, BgpImport import, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetAdvertisementsAsync(IReadOnlyCollection<IPNetwork> prefixes, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BgpPeerStatus>>([peer]);

        public Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BgpRibEntry>>([]);

        public Task<PeerCommandResult> ResetPeerAsync(IPAddress address, CancellationToken cancellationToken) => Task.FromResult(PeerCommandResult.NotConfigured);

        public Task<PeerCommandResult> RefreshPeerAsync(IPAddress address, CancellationToken cancellationToken) => Task.FromResult(PeerCommandResult.NotConfigured);

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopForRestartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            _best.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
