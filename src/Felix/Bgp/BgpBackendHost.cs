using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Common;
using RoutedNet.Datastore.Resources;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Reconcilers.Routes;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// Runs the BGP backend for the agent: starts it once the node's identity is known, hands it the
/// whole desired peer and advertisement sets (latest wins, one writer), pipes learned best routes
/// into the route reconciler.
///
/// Stopping is one of two things. SIGTERM is a restart (an upgrade, a rescheduled pod): nothing is
/// withdrawn and sessions close without a NOTIFICATION, so peers with graceful restart keep our
/// routes as stale and the kernel keeps forwarding until the next agent has re-announced them (a
/// Cease made BIRD drop the node's blocks for 5-6 s on every restart). Taking the node out of
/// service is an explicit drain (<see cref="DrainAsync"/>, `routednetctl node drain`): withdraw,
/// then Cease / Administrative Shutdown; the agent then stays out of BGP until it is restarted.
/// The planned drain is the Node's spec.drain (`routednetctl node drain NODE`, <see cref="SetDrain"/>):
/// first every route is announced again with GRACEFUL_SHUTDOWN 65535:0 (RFC 8326) for the drain's
/// wait, so peers move traffic to other nodes while this one still forwards; then withdraw and
/// Cease, and no session until the field is removed (`node uncordon`), also across agent restarts.
///
/// A new identity (AS number, router id, listen port, cluster id) from the datastore restarts the
/// backend the same way the agent's own restart would: sessions close with Cease, open again with
/// the new identity, and the kernel keeps the learned routes until they have been re-learned.
///
/// Restart without disruption: the kernel keeps our BGP routes while the agent is down, and if
/// the first read-back finds some the backend starts as "restarting" (graceful restart F bit).
/// The route reconciler does not sweep BGP routes until this host marks BGP in sync: once every
/// configured peer has been Established for <see cref="SettleTime"/> (its routes and End-of-RIB
/// have arrived) or the restart deferral has passed, whichever comes first. Until then BGP is not
/// ready (/readyz), so a rolling update that waits for readiness restarts one node at a time and
/// never a second one while the first is still re-learning (calico#7144 is what happens otherwise).
/// </summary>
public sealed partial class BgpBackendHost : BackgroundService
{
    /// <summary>How long a session must have been up before its routes count as re-learned.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SweepPoll = TimeSpan.FromSeconds(1);

    /// <summary>Past a drain's withdraw time, so the wake-up finds it passed.</summary>
    private static readonly TimeSpan WakeMargin = TimeSpan.FromMilliseconds(20);

    /// <summary>A failed apply (a peer or a prefix the backend would not take) is tried again after 1 s, doubling up to 60 s.</summary>
    private static readonly TimeSpan ApplyRetryMin = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ApplyRetryMax = TimeSpan.FromSeconds(60);

    private readonly IBgpBackend? _backend;
    private readonly RouteReconciler _routes;
    private readonly HealthRegistry _health;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BgpBackendHost> _logger;
    private readonly AgentFailure? _failure;
    private readonly TaskCompletionSource<BgpLocalConfig> _local = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<bool> _desiredChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>One caller at a time drives the backend: the apply loop, a drain, the stop.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The apply loop and the sweep both report BGP's health: one at a time, so the last word is the latest state.</summary>
    private readonly Lock _healthLock = new();
    private volatile IReadOnlyList<BgpPeerConfig> _peers = [];
    private volatile BgpImport _import = BgpImport.Nothing;
    private volatile IReadOnlyCollection<IPNetwork> _advertisements = [];
    private volatile bool _started;
    private volatile bool _peersApplied;
    private long _pumped;
    private volatile BgpLocalConfig? _wanted;
    private BgpLocalConfig? _running;
    private CancellationTokenSource? _sweepStop;

    private volatile IReadOnlyList<string>? _drained;

    /// <summary>The Node's spec.drain as last read from the datastore.</summary>
    private volatile NodeDrain? _drainWanted;

    /// <summary>The drain as carried out (the loop writes it, the API reads it).</summary>
    private volatile BgpDrainState _drain = BgpDrainState.InService;

    /// <summary>Whether the running backend tags routes with 65535:0 (under the gate).</summary>
    private bool _gracefulShutdownOn;

    /// <summary>The withdraw time a wake-up is armed for, and the wake-up (under the gate): one timer per drain at a time.</summary>
    private DateTimeOffset? _wakeArmed;
    private Task _wake = Task.CompletedTask;

    /// <summary>False from a start with routes kept until the sweep: BGP is not ready while it re-learns.</summary>
    private volatile bool _relearned = true;

    /// <summary>Without a backend (BGP off) learned routes never come, so BGP is "in sync" at once.</summary>
    public BgpBackendHost(RouteReconciler routes, HealthRegistry health, AgentOptions options, TimeProvider time, ILogger<BgpBackendHost> logger, IBgpBackend? backend = null, AgentFailure? failure = null)
    {
        _backend = backend;
        _failure = failure;
        _routes = routes;
        _health = health;
        _options = options;
        _time = time;
        _logger = logger;
        health.Register(HealthRegistry.Bgp);
    }

    /// <summary>
    /// Called after every datastore change once the node is registered: the backend starts with the
    /// first identity, and restarts when a later one differs (applied by the host's loop).
    /// </summary>
    public void Configure(BgpLocalConfig local)
    {
        _wanted = local;
        if (!_local.TrySetResult(local))
        {
            _desiredChanged.Writer.TryWrite(true);
        }
    }

    /// <summary>The whole desired peer set and which learned routes to take; applied by the host's loop (latest wins).</summary>
    public void SetPeers(IReadOnlyList<BgpPeerConfig> peers, BgpImport import)
    {
        _peers = peers;
        _import = import;
        _desiredChanged.Writer.TryWrite(true);
    }

    /// <summary>The whole set of prefixes to originate; applied by the host's loop (latest wins).</summary>
    public void SetAdvertisements(IReadOnlyCollection<IPNetwork> prefixes)
    {
        _advertisements = prefixes;
        _desiredChanged.Writer.TryWrite(true);
    }

    /// <summary>
    /// The Node's spec.drain (null: in service); applied by the host's loop, which also wakes at
    /// the withdraw time. Set before <see cref="Configure"/> so that a restarted agent of a drained
    /// node never opens a session.
    /// </summary>
    public void SetDrain(NodeDrain? drain)
    {
        if (drain != _drainWanted)
        {
            _drainWanted = drain;
            _desiredChanged.Writer.TryWrite(true);
        }
    }

    /// <summary>The Node drain as carried out now.</summary>
    public BgpDrainState Drain => _drain;

    /// <summary>The backend's name and what it does not do ("none" and nothing when BGP is off).</summary>
    public (string Name, IReadOnlyList<string> Limits) Backend => _backend is null ? ("none", []) : (_backend.Name, _backend.Limits);

    /// <summary>The prefixes a drain withdrew, or null while the node is in service.</summary>
    public IReadOnlyList<string>? Drained => _drained;

    /// <summary>
    /// Takes the node out of service (`routednetctl node drain`): withdraws every prefix we
    /// originate, then closes every session with Cease / Administrative Shutdown. The node stays
    /// out of BGP (the datastore's changes are no longer applied) until the agent is restarted.
    /// Returns the withdrawn prefixes; a second drain returns the first one's.
    /// </summary>
    public async Task<IReadOnlyList<string>> DrainAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_drained is { } already)
            {
                return already;
            }
            IReadOnlyList<string> withdrawn = [.. _advertisements.Select(p => p.ToString()).Order(StringComparer.Ordinal)];
            if (_started)
            {
                LogDrain(withdrawn.Count);
                _started = false;
                await _backend!.ShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            _drained = withdrawn;
            _health.ReportFailure(HealthRegistry.Bgp, "drained (routednetctl node drain): routes withdrawn, sessions shut down; restart the agent to return to service");
            return withdrawn;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The backend's sessions, each marked while routes to it carry 65535:0; while the node is
    /// drained, the configured peers as Idle with the drain as their last word.
    /// </summary>
    public async Task<IReadOnlyList<BgpPeerStatus>> GetPeersAsync(CancellationToken cancellationToken)
    {
        var drain = _drain;
        if (!_started)
        {
            return drain.Phase != DrainPhase.Drained || _drained is not null ? [] :
                [.. _peers.Select(p => new BgpPeerStatus(p, PeerState.Idle, drain.WithdrawAt ?? default, "drained (routednetctl node drain): withdrawn, session closed", 0, 0, 0, 0, 0, 0, Drain: DrainPhase.Drained))];
        }
        var peers = await _backend!.GetPeersAsync(cancellationToken).ConfigureAwait(false);
        return drain.Phase == DrainPhase.GracefulShutdown ? [.. peers.Select(p => p with { Drain = DrainPhase.GracefulShutdown })] : peers;
    }

    public async Task<IReadOnlyList<BgpRibEntry>> GetRibAsync(CancellationToken cancellationToken) =>
        _started ? await _backend!.GetRibAsync(cancellationToken).ConfigureAwait(false) : [];

    /// <summary>`routednetctl bgp reset`: ends the peer's session and starts it again (also after a max-prefix trip).</summary>
    public async Task<PeerCommandResult> ResetPeerAsync(IPAddress peer, CancellationToken cancellationToken) =>
        _started ? await _backend!.ResetPeerAsync(peer, cancellationToken).ConfigureAwait(false) : PeerCommandResult.NotConfigured;

    /// <summary>`routednetctl bgp refresh`: asks the peer for its routes again (RFC 2918).</summary>
    public async Task<PeerCommandResult> RefreshPeerAsync(IPAddress peer, CancellationToken cancellationToken) =>
        _started ? await _backend!.RefreshPeerAsync(peer, cancellationToken).ConfigureAwait(false) : PeerCommandResult.NotConfigured;

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
        var kernel = await _routes.FirstResync.WaitAsync(stoppingToken).ConfigureAwait(false);
        local = local with { RestartingWithRoutesKept = kernel.Bgp > 0 };
        _sweepStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task sweep;
        if (BgpDrainState.At(_drainWanted, _time.GetUtcNow()) is { Phase: DrainPhase.Drained } drained)
        {
            // A drained node stays out across restarts: no session, no BGP route in the kernel.
            _running = local;
            _drain = drained;
            _routes.MarkInSync(RouteKind.Bgp);
            // Ready: the agent does what it was asked (a rollout must not wait on a drained node); degraded with why.
            _health.ReportReady(HealthRegistry.Bgp);
            ReportDrained(drained);
            LogStayDrained(drained.Since);
            sweep = Task.CompletedTask;
        }
        else
        {
            if (!await TryStartAsync(_backend, local, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
            _running = local;
            _started = true;
            _relearned = !local.RestartingWithRoutesKept;
            ReportApplied();
            LogStarted(local.AsNumber, local.RouterId, local.RestartingWithRoutesKept);
            sweep = SweepWhenRelearnedAsync(_backend, _sweepStop.Token);
        }
        var pump = PumpBestRoutesAsync(_backend, stoppingToken);
        _desiredChanged.Writer.TryWrite(true);
        var retry = new Backoff(ApplyRetryMin, ApplyRetryMax);
        while (await _desiredChanged.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            _desiredChanged.Reader.TryRead(out _);
            await _gate.WaitAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                if (_drained is not null)
                {
                    continue;
                }
                var backend = _backend;
                var drain = BgpDrainState.At(_drainWanted, _time.GetUtcNow());
                if (drain.Phase == DrainPhase.Drained)
                {
                    await WithdrawForDrainAsync(backend, drain, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                if (!_started)
                {
                    // Back from a drain (`node uncordon`, or a new drain whose wait has not passed).
                    if (await ResumeAsync(backend, stoppingToken).ConfigureAwait(false) is not { } resumed)
                    {
                        return;
                    }
                    sweep = resumed;
                }
                string? restartError = null;
                if (_wanted is { } wanted && !SameIdentity(wanted, _running!))
                {
                    try
                    {
                        if (await RestartAsync(backend, wanted, stoppingToken).ConfigureAwait(false) is not { } restarted)
                        {
                            return;
                        }
                        sweep = restarted;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        restartError = e.Message;
                    }
                }
                var drainError = await TryApplyAsync(() => ApplyGracefulShutdownAsync(backend, drain, stoppingToken)).ConfigureAwait(false);
                // Peers and advertisements apart: a peer the backend cannot take must not hold back the
                // node's own advertisements to every other peer.
                var peersError = await TryApplyAsync(() => backend.SetPeersAsync(_peers, _import, stoppingToken)).ConfigureAwait(false);
                var advertisementsError = await TryApplyAsync(() => backend.SetAdvertisementsAsync(_advertisements, stoppingToken)).ConfigureAwait(false);
                if (peersError is null)
                {
                    _peersApplied = true;
                }
                if ((restartError ?? drainError ?? peersError ?? advertisementsError) is { } error)
                {
                    // The backend keeps what it took; the rest is tried again with backoff, or at the next change.
                    var wait = retry.Next();
                    _health.ReportFailure(HealthRegistry.Bgp, error);
                    LogApplyFailed(error, wait.TotalSeconds);
                    _ = RetryAfterAsync(wait, stoppingToken);
                }
                else
                {
                    retry.Reset();
                    ReportApplied();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        await Task.WhenAll(sweep, pump).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes every session (Cease) and starts the backend again with <paramref name="wanted"/>. The
    /// route table forgets what BGP wanted but keeps the kernel's routes until the new sessions have
    /// re-learned them (the returned sweep marks BGP in sync), as on the agent's own restart.
    /// </summary>
    private async Task<Task?> RestartAsync(IBgpBackend backend, BgpLocalConfig wanted, CancellationToken stoppingToken)
    {
        var running = _running!;
        LogIdentityChanged(running.AsNumber, running.RouterId, wanted.AsNumber, wanted.RouterId, wanted.ListenPort);
        _peersApplied = false;
        // The sweep of the previous identity must not mark BGP in sync (its deadline may pass) while the new one re-learns.
        var previous = _sweepStop!;
        _sweepStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await previous.CancelAsync().ConfigureAwait(false);
        previous.Dispose();
        _routes.RestartSource(RouteKind.Bgp);
        // Status readers see no peers, rather than an error, while no speaker runs.
        _started = false;
        await backend.ShutdownAsync(stoppingToken).ConfigureAwait(false);
        var restarted = wanted with { RestartingWithRoutesKept = true };
        _gracefulShutdownOn = false;
        if (!await TryStartAsync(backend, restarted, stoppingToken).ConfigureAwait(false))
        {
            return null;
        }
        _running = restarted;
        _started = true;
        return SweepWhenRelearnedAsync(backend, _sweepStop.Token);
    }

    /// <summary>
    /// Tags every route with 65535:0 while the drain's wait runs (and untags them when the drain is
    /// undone before its withdraw), and arms one wake-up for the withdraw time.
    /// </summary>
    private async Task ApplyGracefulShutdownAsync(IBgpBackend backend, BgpDrainState drain, CancellationToken stoppingToken)
    {
        var on = drain.Phase == DrainPhase.GracefulShutdown;
        if (on != _gracefulShutdownOn)
        {
            await backend.SetGracefulShutdownAsync(on, stoppingToken).ConfigureAwait(false);
            _gracefulShutdownOn = on;
            if (on)
            {
                LogGracefulShutdown(drain.WithdrawAt!.Value);
            }
            else
            {
                LogBackInService();
            }
        }
        _drain = drain;
        // Again when the last one fired a little before the withdraw time (timers and the wall clock
        // differ by a millisecond or so): without it the drain would wait for the next datastore change.
        if (on && (_wakeArmed != drain.WithdrawAt || _wake.IsCompleted))
        {
            _wakeArmed = drain.WithdrawAt;
            var left = drain.WithdrawAt!.Value - _time.GetUtcNow() + WakeMargin;
            _wake = RetryAfterAsync(left > TimeSpan.Zero ? left : WakeMargin, stoppingToken);
        }
    }

    /// <summary>The drain's wait has passed: withdraw everything, close every session (Cease / Administrative Shutdown), stay out.</summary>
    private async Task WithdrawForDrainAsync(IBgpBackend backend, BgpDrainState drain, CancellationToken stoppingToken)
    {
        if (_started)
        {
            LogDrainWithdraw(_advertisements.Count);
            _started = false;
            _gracefulShutdownOn = false;
            await backend.ShutdownAsync(stoppingToken).ConfigureAwait(false);
        }
        ReportDrained(drain);
        _drain = drain;
    }

    /// <summary>Starts the backend again after a drain, as a fresh start: the kernel holds no BGP route of the drained node.</summary>
    private async Task<Task?> ResumeAsync(IBgpBackend backend, CancellationToken stoppingToken)
    {
        var wanted = (_wanted ?? _running!) with { RestartingWithRoutesKept = false };
        _gracefulShutdownOn = false;
        _peersApplied = false;
        if (!await TryStartAsync(backend, wanted, stoppingToken).ConfigureAwait(false))
        {
            return null;
        }
        _running = wanted;
        _started = true;
        _relearned = true;
        _drain = BgpDrainState.InService;
        LogStarted(wanted.AsNumber, wanted.RouterId, false);
        return Task.CompletedTask;
    }

    private void ReportDrained(BgpDrainState drain)
    {
        lock (_healthLock)
        {
            _health.ReportFailure(HealthRegistry.Bgp, $"drained (routednetctl node drain, since {drain.Since:u}): routes withdrawn, sessions closed; `routednetctl node uncordon` returns it to service");
        }
    }

    private static async Task<string?> TryApplyAsync(Func<Task> apply)
    {
        try
        {
            await apply().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.Message;
        }
    }

    private async Task RetryAfterAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            _desiredChanged.Writer.TryWrite(true);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>
    /// Starts the backend; a failure here cannot heal by waiting (the port stays taken, gobgpd stays
    /// away until someone starts it), so it stops the agent with one line for its supervisor.
    /// </summary>
    private async Task<bool> TryStartAsync(IBgpBackend backend, BgpLocalConfig local, CancellationToken stoppingToken)
    {
        try
        {
            await backend.StartAsync(local, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = e switch
            {
                RpcException rpc => $"BGP could not start: gobgpd at {_options.GoBgpApi} did not answer ({rpc.StatusCode}: {rpc.Status.Detail})",
                SocketException socket => $"BGP could not start: cannot listen on port {local.ListenPort}: {socket.Message}",
                _ => $"BGP could not start: {e.Message}",
            };
            _health.ReportFailure(HealthRegistry.Bgp, reason);
            LogStartFailed(reason);
            if (_failure is null)
            {
                throw;
            }
            _failure.Stop(reason);
            return false;
        }
    }

    private static bool SameIdentity(BgpLocalConfig a, BgpLocalConfig b) =>
        a.AsNumber == b.AsNumber && a.RouterId.Equals(b.RouterId) && a.ListenPort == b.ListenPort && Equals(a.RouteReflectorClusterId, b.RouteReflectorClusterId);

    /// <summary>
    /// SIGTERM: a restart, not a drain. The loop and the best-route pump stop first, so that nothing
    /// the backend reports while it closes reaches the kernel; then sessions close without a
    /// NOTIFICATION and nothing is withdrawn (RFC 4724 §4.2: peers keep our routes as stale).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                LogStopForRestart();
                _started = false;
                await _backend!.StopForRestartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private async Task PumpBestRoutesAsync(IBgpBackend backend, CancellationToken stoppingToken)
    {
        // Routes from one UPDATE share their next-hop list, and arrive together: one target for a run of them.
        IReadOnlyList<IPAddress>? lastHops = null;
        RouteTarget? lastTarget = null;
        await foreach (var batch in backend.BestRoutes.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var routes = new (BgpPrefix, RouteTarget?)[batch.Count];
            for (var i = 0; i < routes.Length; i++)
            {
                var best = batch[i];
                if (best.NextHops.Count == 0)
                {
                    routes[i] = (best.Prefix, null);
                    continue;
                }
                if (!ReferenceEquals(best.NextHops, lastHops))
                {
                    lastHops = best.NextHops;
                    lastTarget = RouteTarget.Via(best.NextHops);
                }
                routes[i] = (best.Prefix, lastTarget);
            }
            _routes.SetRoutes(RouteKind.Bgp, routes);
            Interlocked.Increment(ref _pumped);
        }
    }

    private async Task SweepWhenRelearnedAsync(IBgpBackend backend, CancellationToken stoppingToken)
    {
        var deadline = _time.GetUtcNow() + _options.BgpRestartDeferral;
        while (_time.GetUtcNow() < deadline)
        {
            if (_peersApplied)
            {
                var now = _time.GetUtcNow();
                var peers = await backend.GetPeersAsync(stoppingToken).ConfigureAwait(false);
                // And the backend's re-learned table is in the reconciler's queue ahead of the sweep:
                // a restarted speaker selects routes only once every peer sent End-of-RIB, which may
                // be after the settle time; sweeping before that deleted routes it was about to
                // re-announce (lost packets during an upgrade).
                if (peers.All(p => p.State == PeerState.Established && now - p.Since >= SettleTime)
                    && backend.RoutesSelectedAfter is { } selected && Interlocked.Read(ref _pumped) >= selected)
                {
                    LogSweep("every peer is up and has re-sent its routes");
                    Relearned();
                    return;
                }
            }
            await Task.Delay(SweepPoll, _time, stoppingToken).ConfigureAwait(false);
        }
        LogSweep("the restart deferral passed");
        Relearned();
    }

    private void Relearned()
    {
        _routes.MarkInSync(RouteKind.Bgp);
        lock (_healthLock)
        {
            _relearned = true;
            if (_drained is null && _drain.Phase != DrainPhase.Drained)
            {
                ReportAppliedLocked();
            }
        }
    }

    /// <summary>Ready once the backend runs with the wanted peers, unless it is still re-learning after a restart.</summary>
    private void ReportApplied()
    {
        lock (_healthLock)
        {
            ReportAppliedLocked();
        }
    }

    private void ReportAppliedLocked()
    {
        if (_relearned)
        {
            _health.ReportReady(HealthRegistry.Bgp);
        }
        else
        {
            _health.ReportWaiting(HealthRegistry.Bgp, "re-learning routes after a restart: waiting until every BGP peer is up again or the restart deferral passes");
        }
    }

    [LoggerMessage(EventId = EventIds.BgpBackendStarted, Level = LogLevel.Information, Message = "BGP started: AS {AsNumber}, router id {RouterId}, restarting with routes kept: {Restarting}")]
    private partial void LogStarted(uint asNumber, IPAddress routerId, bool restarting);

    [LoggerMessage(EventId = EventIds.BgpIdentityChanged, Level = LogLevel.Warning, Message = "BGP identity changed from AS {OldAs}, router id {OldRouterId} to AS {AsNumber}, router id {RouterId}, port {Port}: restarting BGP (sessions close with Cease; the kernel keeps learned routes until re-learned)")]
    private partial void LogIdentityChanged(uint oldAs, IPAddress oldRouterId, uint asNumber, IPAddress routerId, int port);

    [LoggerMessage(EventId = EventIds.BgpStartFailed, Level = LogLevel.Critical, Message = "{Reason}; stopping the agent")]
    private partial void LogStartFailed(string reason);

    [LoggerMessage(EventId = EventIds.BgpConfigFailed, Level = LogLevel.Warning, Message = "BGP: applying peers or advertisements failed, keeping what was applied: {Error}; trying again in {Seconds} s")]
    private partial void LogApplyFailed(string error, double seconds);

    [LoggerMessage(EventId = EventIds.BgpRestartSweep, Level = LogLevel.Information, Message = "BGP routes re-learned ({Why}): stale BGP routes may now be swept")]
    private partial void LogSweep(string why);

    [LoggerMessage(EventId = EventIds.BgpShutdown, Level = LogLevel.Information, Message = "Stopping for a restart: BGP sessions closed without a NOTIFICATION and nothing withdrawn, so peers with graceful restart keep this node's routes until the next agent re-announces them (`routednetctl node drain` takes a node out of service)")]
    private partial void LogStopForRestart();

    [LoggerMessage(EventId = EventIds.BgpGracefulShutdown, Level = LogLevel.Warning, Message = "Draining (Node spec.drain): every route announced with GRACEFUL_SHUTDOWN 65535:0 so peers move traffic away; withdrawing and closing every session at {WithdrawAt:u}")]
    private partial void LogGracefulShutdown(DateTimeOffset withdrawAt);

    [LoggerMessage(EventId = EventIds.BgpDrainUndone, Level = LogLevel.Information, Message = "Drain undone (Node spec.drain removed): routes announced without GRACEFUL_SHUTDOWN again")]
    private partial void LogBackInService();

    [LoggerMessage(EventId = EventIds.BgpDrainWithdraw, Level = LogLevel.Warning, Message = "Drain: the graceful-shutdown wait has passed; withdrawing {Count} prefixes, then closing every BGP session with Cease / Administrative Shutdown; BGP stays down until `routednetctl node uncordon`")]
    private partial void LogDrainWithdraw(int count);

    [LoggerMessage(EventId = EventIds.BgpStayDrained, Level = LogLevel.Warning, Message = "The node is drained (Node spec.drain since {Since:u}): BGP stays down until `routednetctl node uncordon`")]
    private partial void LogStayDrained(DateTimeOffset? since);

    [LoggerMessage(EventId = EventIds.BgpDrain, Level = LogLevel.Warning, Message = "Draining: withdrawing {Count} prefixes, then closing every BGP session with Cease / Administrative Shutdown; the node stays out of BGP until the agent restarts")]
    private partial void LogDrain(int count);
}
