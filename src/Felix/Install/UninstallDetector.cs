using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Install;

/// <summary>
/// Tells an uninstall from a restart when the agent gets SIGTERM (lab notes d9). A DaemonSet pod
/// is stopped for an upgrade, an eviction or a node drain with its DaemonSet still there; on
/// `helm uninstall` the DaemonSet is deleted first, then its pods. So, before anything stops
/// (<see cref="IHostedLifecycleService.StoppingAsync"/>), the agent GETs its own DaemonSet:
/// NotFound or a deletionTimestamp is an uninstall, and it removes the conflist at once and
/// withdraws its BGP routes (a drain, so peers drop them now rather than keep them as stale);
/// the rest of <see cref="NodeCleanup"/> runs after the other services have stopped (routes are
/// deleted only once the route reconciler can no longer put them back). Anything else keeps
/// everything: a DaemonSet that is there, an API server that does not answer within
/// <see cref="CheckTimeout"/>, a refusal. Detection is armed only once the DaemonSet has been
/// seen at start, so a wrong --pod-namespace or --daemonset-name can never wipe a node on its
/// first restart; it just stays off, with a warning. The verdict is set before the conflist is
/// removed, so the <see cref="ConflistWriter"/>, still running, does not put it back.
/// Once armed the agent also follows the DaemonSet by watch: `helm uninstall` deletes the
/// ServiceAccount and the RBAC right after the DaemonSet, so by SIGTERM the GET is refused (401);
/// what the watch saw before that (deleted, or being deleted) still decides. The node-local
/// cleanup then works; the API-side part (Node annotations, the node's IPAM objects) is refused
/// with the credentials and is logged as left behind.
/// </summary>
public sealed partial class UninstallDetector : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static readonly KubeResource DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet");

    private readonly AgentOptions _options;
    private readonly KubeApi? _api;
    private readonly BgpBackendHost _bgp;
    private readonly UninstallVerdict _verdict;
    private readonly TimeProvider _time;
    private readonly ILogger<UninstallDetector> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _arming = Task.CompletedTask;
    private volatile bool _armed;
    private volatile int _followed = (int)DaemonSetPresence.Present;

    public UninstallDetector(AgentOptions options, BgpBackendHost bgp, UninstallVerdict verdict, TimeProvider time, ILogger<UninstallDetector> logger, KubeApi? api = null)
    {
        _options = options;
        _api = api;
        _bgp = bgp;
        _verdict = verdict;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether this agent checks its DaemonSet at SIGTERM at all.</summary>
    public bool Enabled => _api is not null && _options.IsKubernetes && _options.PodNamespace is not null;

    /// <summary>Reads the DaemonSet; throws on anything but an answer (a refusal, a timeout, no connection).</summary>
    public static async Task<DaemonSetPresence> CheckAsync(KubeApi api, string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        JsonElement? found;
        try
        {
            found = await api.GetAsync(DaemonSets, name, timeout.Token, ns).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"DaemonSet {ns}/{name}: no answer from the API server within {CheckTimeout.TotalSeconds:0} s");
        }
        return found is { } daemonSet ? PresenceOf(daemonSet) : DaemonSetPresence.Gone;
    }

    /// <summary>A DaemonSet object that exists: being deleted when it has a deletionTimestamp.</summary>
    private static DaemonSetPresence PresenceOf(JsonElement daemonSet) =>
        daemonSet.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("deletionTimestamp", out var deleting) && deleting.ValueKind == JsonValueKind.String
            ? DaemonSetPresence.BeingDeleted
            : DaemonSetPresence.Present;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            _arming = ArmAsync(_stop.Token);
        }
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _arming.ConfigureAwait(false);
        if (!_armed)
        {
            return;
        }
        var ns = _options.PodNamespace!;
        var name = _options.DaemonSetName;
        DaemonSetPresence presence;
        try
        {
            presence = await CheckAsync(_api!, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RoutedNet.Datastore.DatastoreException or HttpRequestException or IOException or TimeoutException)
        {
            // Refused (the uninstall deleted our credentials) or no answer: what the watch saw decides.
            presence = (DaemonSetPresence)_followed;
            if (presence == DaemonSetPresence.Present)
            {
                LogCheckFailed(ns, name, e.Message);
                return;
            }
            LogFollowedInstead(ns, name, e.Message);
        }
        if (presence == DaemonSetPresence.Present)
        {
            LogRestart(ns, name);
            return;
        }
        LogUninstall(ns, name, presence == DaemonSetPresence.Gone ? "gone" : "being deleted");
        _verdict.SetUninstall();
        try
        {
            NodeCleanup.RemoveConflist(_options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCheckFailed(ns, name, $"removing the CNI config: {e.Message}");
        }
        await _bgp.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stop.Dispose();

    /// <summary>Until the DaemonSet has been seen once (retrying an API server that does not answer), detection stays off.</summary>
    private async Task ArmAsync(CancellationToken cancellationToken)
    {
        var ns = _options.PodNamespace!;
        var name = _options.DaemonSetName;
        var retry = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var presence = await CheckAsync(_api!, ns, name, cancellationToken).ConfigureAwait(false);
                if (presence == DaemonSetPresence.Present)
                {
                    _armed = true;
                    LogArmed(ns, name);
                    await FollowAsync(ns, name, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    LogNotArmed(ns, name);
                }
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RoutedNet.Datastore.DatastoreException or HttpRequestException or IOException or TimeoutException)
            {
                LogCheckFailed(ns, name, e.Message);
            }
            try
            {
                await Task.Delay(retry, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
        }
    }

    /// <summary>
    /// Watches the DaemonSet (by name) until cancelled, keeping in <see cref="_followed"/> whether
    /// it was deleted or is being deleted; a broken watch is read again from a fresh GET.
    /// </summary>
    private async Task FollowAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var query = new KubeQuery(FieldSelector: "metadata.name=" + name, Namespace: ns);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await _api!.GetAsync(DaemonSets, name, cancellationToken, ns).ConfigureAwait(false) is { } daemonSet)
                {
                    Follow(daemonSet);
                    var from = daemonSet.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
                    await foreach (var change in _api.WatchAsync(DaemonSets, from, query, cancellationToken).ConfigureAwait(false))
                    {
                        if (change.Type == KubeWatchEventType.Deleted)
                        {
                            _followed = (int)DaemonSetPresence.Gone;
                            break;
                        }
                        if (change.Type != KubeWatchEventType.Bookmark)
                        {
                            Follow(change.Object);
                        }
                    }
                    continue; // deleted: read again (it may be created anew)
                }
                _followed = (int)DaemonSetPresence.Gone;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RoutedNet.Datastore.DatastoreException or HttpRequestException or IOException or KeyNotFoundException or InvalidOperationException)
            {
                // Credentials revoked, history compacted, the server away: what was seen stands.
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Follow(JsonElement daemonSet) => _followed = (int)PresenceOf(daemonSet);

    [LoggerMessage(EventId = EventIds.UninstallFollowed, Level = LogLevel.Warning, Message = "Could not read DaemonSet {Namespace}/{Name} at the stop ({Reason}); its watch had seen it deleted, so this is an uninstall (helm deletes our ServiceAccount and RBAC with it)")]
    private partial void LogFollowedInstead(string @namespace, string name, string reason);

    [LoggerMessage(EventId = EventIds.UninstallDetected, Level = LogLevel.Warning, Message = "DaemonSet {Namespace}/{Name} is {State}: uninstalling RoutedNet from this node (CNI config, routes, binaries, Node annotations, IPAM)")]
    private partial void LogUninstall(string @namespace, string name, string state);

    [LoggerMessage(EventId = EventIds.UninstallNotDetected, Level = LogLevel.Information, Message = "DaemonSet {Namespace}/{Name} is still there: stopping for a restart, the node keeps its CNI config and routes")]
    private partial void LogRestart(string @namespace, string name);

    [LoggerMessage(EventId = EventIds.UninstallNotArmed, Level = LogLevel.Warning, Message = "DaemonSet {Namespace}/{Name} not found at start: uninstall detection stays off (check --pod-namespace and --daemonset-name)")]
    private partial void LogNotArmed(string @namespace, string name);

    [LoggerMessage(EventId = EventIds.UninstallArmed, Level = LogLevel.Information, Message = "Uninstall detection on: at SIGTERM, DaemonSet {Namespace}/{Name} gone or being deleted means an uninstall")]
    private partial void LogArmed(string @namespace, string name);

    [LoggerMessage(EventId = EventIds.UninstallCheckFailed, Level = LogLevel.Warning, Message = "Could not read DaemonSet {Namespace}/{Name}; treating a stop as a restart: {Reason}")]
    private partial void LogCheckFailed(string @namespace, string name, string reason);
}
