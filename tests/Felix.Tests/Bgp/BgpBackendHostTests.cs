using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Bgp;

/// <summary>
/// The BGP host applies peers and advertisements apart and retries a failed apply with backoff:
/// before, one peer the backend refused (a TCP-MD5 key the kernel would not take) stopped the
/// node's own advertisements too, and nothing tried again until the next datastore change.
/// </summary>
// One at a time: both drive a BgpBackendHost by fake time, with real-time waits in between.
[Collection("BgpBackendHost by fake time")]
public sealed class BgpBackendHostTests : IAsyncLifetime
{
    private static readonly IPNetwork Block = IPNetwork.Parse("10.244.1.0/26");
    private static readonly BgpPeerConfig Tor = new(IPAddress.Parse("192.0.2.2"), 65001, PeerType.Global, "BGPPeer tor", Password: "s3cret");

    private readonly FailingBackend _backend = new();
    private readonly BgpHostHarness _harness;
    private readonly FakeTimeProvider _time;
    private readonly HealthRegistry _health;
    private readonly BgpBackendHost _host;

    public BgpBackendHostTests()
    {
        _harness = new BgpHostHarness(_backend);
        (_time, _health, _host) = (_harness.Time, _harness.Health, _harness.Host);
    }

    public Task InitializeAsync() => _harness.StartRoutesAsync();

    public Task DisposeAsync() => _harness.StopAsync();

    [Fact]
    public async Task Apply_PeerRefused_AdvertisementsAppliedAndPeersRetriedWithBackoff()
    {
        _backend.RefusePeers = 2;
        _host.Configure(new BgpLocalConfig(64512, IPAddress.Parse("10.0.0.1"), [IPAddress.Parse("10.0.0.1")], 179, null, false));
        _host.SetPeers([Tor], BgpImport.Nothing);
        _host.SetAdvertisements([Block]);

        await _host.StartAsync(CancellationToken.None);

        await WaitFor(() => _backend.Advertised.Contains(Block), "the node's block advertised although its peer was refused");
        Assert.Equal(1, _backend.PeerCalls);
        Assert.Contains("kernel refused", _health.Snapshot().Single(c => c.Name == HealthRegistry.Bgp).Detail, StringComparison.Ordinal);

        // No datastore change: the backoff alone brings the next tries, 1 s and then 2 s later.
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitFor(() => _backend.PeerCalls == 2, "the first retry after 1 s");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.Equal(2, _backend.PeerCalls);
        // The host may arm its 2 s timer only after the advance above (it runs on its own): a
        // further second or two of fake time then brings the retry.
        for (var step = 0; step < 3 && _backend.PeerCalls < 3; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await WaitFor(() => _backend.PeerCalls == 3, "the second retry", quiet: true);
        }
        Assert.Equal(3, _backend.PeerCalls);
        await WaitFor(() => _health.Snapshot().Single(c => c.Name == HealthRegistry.Bgp).Ready, "BGP healthy once the peer is taken");
    }

    private static async Task WaitFor(Func<bool> condition, string what, bool quiet = false)
    {
        for (var i = 0; i < (quiet ? 50 : 500) && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(quiet || condition(), what);
    }

    /// <summary>Refuses the peer set the first <see cref="RefusePeers"/> times, as a backend whose kernel will not take a key.</summary>
    private sealed class FailingBackend : IBgpBackend
    {
        private readonly Channel<IReadOnlyList<BestRoute>> _best = Channel.CreateUnbounded<IReadOnlyList<BestRoute>>();

        public int RefusePeers { get; set; }

        public int PeerCalls { get; private set; }

        public HashSet<IPNetwork> Advertised { get; } = [];

        public ChannelReader<IReadOnlyList<BestRoute>> BestRoutes => _best.Reader;

        public string Name => "fake";

        public long? RoutesSelectedAfter => 0;

        public IReadOnlyList<string> Limits { get; } = [];

        public Task StartAsync(BgpLocalConfig local, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetPeersAsync(IReadOnlyList<BgpPeerConfig> peers, BgpImport import, CancellationToken cancellationToken)
        {
            PeerCalls++;
            return PeerCalls <= RefusePeers ? throw new InvalidOperationException("peer 192.0.2.2: the kernel refused its TCP-MD5 key") : Task.CompletedTask;
        }

        public Task SetAdvertisementsAsync(IReadOnlyCollection<IPNetwork> prefixes, CancellationToken cancellationToken)
        {
            Advertised.UnionWith(prefixes);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BgpPeerStatus>>([]);

        public Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<BgpRibEntry>>([]);

        public Task<PeerCommandResult> ResetPeerAsync(IPAddress peer, CancellationToken cancellationToken) => Task.FromResult(PeerCommandResult.NotConfigured);

        public Task<PeerCommandResult> RefreshPeerAsync(IPAddress peer, CancellationToken cancellationToken) => Task.FromResult(PeerCommandResult.NotConfigured);

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopForRestartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            _best.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
