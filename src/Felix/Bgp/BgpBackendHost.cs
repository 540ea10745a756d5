using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Reconcilers.Routes;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// Runs the BGP backend for the agent: starts it once the node's identity is known, hands it the
/// whole desired peer and advertisement sets, pipes learned best routes into the route reconciler
/// and, on SIGTERM, withdraws and closes sessions with Cease / Administrative Shutdown.
///
/// Restart without disruption: the kernel keeps our BGP routes while the agent is down; the route
/// reconciler does not sweep BGP routes until <see cref="RouteReconciler.MarkInSync"/> for BGP,
/// which happens here once the backend has converged (End-of-RIB from every peer) or the restart
/// deferral has passed, whichever comes first.
/// </summary>
public sealed partial class BgpBackendHost : BackgroundService
{
    private readonly IBgpBackend? _backend;
    private readonly RouteReconciler _routes;
    private readonly HealthRegistry _health;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BgpBackendHost> _logger;
    private readonly TaskCompletionSource<BgpLocalConfig> _local = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<bool> _desiredChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile IReadOnlyList<BgpPeerConfig> _peers = [];
    private volatile IReadOnlyCollection<IPNetwork> _advertisements = [];
    private volatile bool _started;

    /// <summary>Without a backend (BGP off) learned routes never come, so BGP is "in sync" at once.</summary>
    public BgpBackendHost(RouteReconciler routes, HealthRegistry health, AgentOptions options, TimeProvider time, ILogger<BgpBackendHost> logger, IBgpBackend? backend = null)
    {
        _backend = backend;
        _routes = routes;
        _health = health;
        _options = options;
        _time = time;
        _logger = logger;
        health.Register(HealthRegistry.Bgp);
    }

    /// <summary>Called once the node is registered: the backend starts with this identity.</summary>
    public void Configure(BgpLocalConfig local) => _local.TrySetResult(local);

    /// <summary>The whole desired peer set; applied by the host's loop (latest wins), also before start.</summary>
    public void SetPeers(IReadOnlyList<BgpPeerConfig> peers)
    {
        _peers = peers;
        _desiredChanged.Writer.TryWrite(true);
    }

    /// <summary>The whole set of prefixes to originate; applied by the host's loop (latest wins).</summary>
    public void SetAdvertisements(IReadOnlyCollection<IPNetwork> prefixes)
    {
        _advertisements = prefixes;
        _desiredChanged.Writer.TryWrite(true);
    }

    public IReadOnlyList<BgpPeerStatus> GetPeers() => _started ? _backend!.GetPeers() : [];

    public Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken) =>
        _started ? _backend!.GetRibAsync(cancellationToken) : Task.FromResult<IReadOnlyList<BgpRibEntry>>([]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_backend is null)
        {
            _routes.MarkInSync(RouteKind.Bgp);
            _health.ReportReady(HealthRegistry.Bgp);
            return;
        }
        _health.ReportWaiting(HealthRegistry.Bgp, "waiting for the node's registration");
        var local = await _local.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        await _backend.StartAsync(local, stoppingToken).ConfigureAwait(false);
        _started = true;
        _health.ReportReady(HealthRegistry.Bgp);
        LogStarted(local.AsNumber, local.RouterId);
        var sweep = SweepWhenConvergedAsync(_backend, stoppingToken);
        var pump = PumpBestRoutesAsync(_backend, stoppingToken);
        _desiredChanged.Writer.TryWrite(true);
        while (await _desiredChanged.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            _desiredChanged.Reader.TryRead(out _);
            try
            {
                await _backend.SetPeersAsync(_peers, stoppingToken).ConfigureAwait(false);
                await _backend.SetAdvertisementsAsync(_advertisements, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The backend keeps its last good configuration; the next change or resync tries again.
                _health.ReportFailure(HealthRegistry.Bgp, e.Message);
                LogApplyFailed(e.Message);
            }
        }
        await Task.WhenAll(sweep, pump).ConfigureAwait(false);
    }

    private async Task PumpBestRoutesAsync(IBgpBackend backend, CancellationToken stoppingToken)
    {
        await foreach (var best in backend.BestRoutes.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            _routes.SetRoute(RouteKind.Bgp, best.Prefix, best.NextHops.Count == 0 ? null : RouteTarget.Via(best.NextHops));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            LogShutdown();
            await _backend!.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SweepWhenConvergedAsync(IBgpBackend backend, CancellationToken stoppingToken)
    {
        var deferral = Task.Delay(_options.BgpRestartDeferral, _time, stoppingToken);
        await Task.WhenAny(backend.Converged, deferral).ConfigureAwait(false);
        if (!stoppingToken.IsCancellationRequested)
        {
            LogSweep(backend.Converged.IsCompleted ? "every peer sent End-of-RIB" : "the restart deferral passed");
            _routes.MarkInSync(RouteKind.Bgp);
        }
    }

    [LoggerMessage(EventId = EventIds.BgpBackendStarted, Level = LogLevel.Information, Message = "BGP started: AS {AsNumber}, router id {RouterId}")]
    private partial void LogStarted(uint asNumber, IPAddress routerId);

    [LoggerMessage(EventId = EventIds.BgpConfigFailed, Level = LogLevel.Warning, Message = "BGP: applying peers or advertisements failed, keeping the last good state: {Error}")]
    private partial void LogApplyFailed(string error);

    [LoggerMessage(EventId = EventIds.BgpRestartSweep, Level = LogLevel.Information, Message = "BGP routes re-learned ({Why}): stale BGP routes may now be swept")]
    private partial void LogSweep(string why);

    [LoggerMessage(EventId = EventIds.BgpShutdown, Level = LogLevel.Information, Message = "Stopping: withdrawing routes and closing BGP sessions (Cease, administrative shutdown)")]
    private partial void LogShutdown();
}
