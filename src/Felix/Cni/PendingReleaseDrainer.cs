using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// Carries out the releases that CNI DELs queued on the node while the agent was away: at start,
/// before the agent reports ready (component "cni-releases" in /readyz, so a rolling upgrade
/// waits for it), then at every resync. A datastore that cannot be reached is retried with capped
/// backoff; the entries wait.
/// </summary>
public sealed partial class PendingReleaseDrainer : BackgroundService
{
    public const string Component = "cni-releases";

    private readonly CniAgent _agent;
    private readonly HealthRegistry _health;
    private readonly TimeSpan _interval;
    private readonly ILogger<PendingReleaseDrainer> _logger;

    public PendingReleaseDrainer(CniAgent agent, HealthRegistry health, AgentOptions options, ILogger<PendingReleaseDrainer> logger)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(options);
        _agent = agent;
        _health = health;
        _interval = options.ResyncInterval;
        _logger = logger;
        health.Register(Component);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(200);
        var cacheStarted = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!cacheStarted)
                {
                    await _agent.StartAsync(stoppingToken).ConfigureAwait(false);
                    cacheStarted = true;
                }
                await _agent.DrainAsync(stoppingToken).ConfigureAwait(false);
                _health.ReportReady(Component);
                retry = TimeSpan.FromMilliseconds(200);
                await Task.Delay(_interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is CniAgentException or RoutedNet.Datastore.DatastoreException or IOException or UnauthorizedAccessException)
            {
                LogDrainFailed(e.Message);
                _health.ReportFailure(Component, $"carrying out queued CNI releases: {e.Message}");
                await Task.Delay(retry, stoppingToken).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    [LoggerMessage(EventId = EventIds.CniQueueDrainFailed, Level = LogLevel.Warning, Message = "Could not carry out the queued CNI releases yet (will retry): {Reason}")]
    private partial void LogDrainFailed(string reason);
}
