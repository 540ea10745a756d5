using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Common;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Reconcilers;

/// <summary>
/// The loop every reconciler runs (STYLE.md §3, after Calico's loopUpdatingDataplane). One task
/// owns the state; everything else posts events to its channel. Handling an event only records the
/// change; then, if anything changed, the loop applies the difference to the kernel. A failed
/// apply stays dirty and is retried with capped exponential backoff; a periodic resync reads the
/// kernel back in full so drift (a route deleted by hand) is repaired. Time comes from the
/// injected TimeProvider so tests can drive it.
/// </summary>
public abstract partial class ReconcileLoop<TEvent> : BackgroundService
{
    /// <summary>Resyncs may use at most about a tenth of the loop's time.</summary>
    private const int ResyncCostFactor = 10;

    private readonly Channel<TEvent> _events = Channel.CreateUnbounded<TEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    private readonly HealthRegistry _health;
    private readonly ReconcileMetrics _metrics;
    private readonly TimeSpan _resyncInterval;
    private readonly ILogger _logger;
    private bool _failing;

    protected ReconcileLoop(string name, TimeProvider time, TimeSpan resyncInterval, HealthRegistry health, ReconcileMetrics metrics, ILogger logger)
    {
        Name = name;
        Time = time;
        _resyncInterval = resyncInterval;
        _health = health;
        _metrics = metrics;
        _logger = logger;
        health.Register(name);
    }

    protected string Name { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger => _logger;

    /// <summary>True when every input has delivered its full state, so a clean apply means "programmed".</summary>
    protected abstract bool InputsInSync { get; }

    /// <summary>Queues an event for the loop; safe from any thread.</summary>
    protected void Post(TEvent item) => _events.Writer.TryWrite(item);

    /// <summary>Records one event; runs on the loop.</summary>
    protected abstract void Handle(TEvent item);

    /// <summary>Reads the kernel's state back in full.</summary>
    protected abstract void Resync();

    /// <summary>Writes the pending difference.</summary>
    protected abstract ApplyOutcome Apply();

    /// <summary>Called on the loop after every pass, to publish counters for metrics.</summary>
    protected virtual void Published()
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dirty = true;
        var resyncDue = Time.GetUtcNow();
        DateTimeOffset? retryAt = null;
        DateTimeOffset? wakeAt = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = Time.GetUtcNow();
            if (now >= resyncDue || wakeAt <= now)
            {
                dirty = true;
                wakeAt = null;
            }
            if (dirty && (retryAt is null || retryAt <= now))
            {
                var resync = now >= resyncDue;
                var outcome = Pass(resync);
                if (resync)
                {
                    resyncDue = NextResync(now);
                }
                wakeAt = outcome.WakeAt;
                if (outcome.Error is null)
                {
                    dirty = false;
                    retryAt = null;
                }
                else
                {
                    retryAt = now + _backoff.Next();
                }
            }
            var next = Earliest(resyncDue, dirty ? retryAt : null, wakeAt);
            await WaitForEventsAsync(next - Time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            while (_events.Reader.TryRead(out var item))
            {
                Handle(item);
                dirty = true;
            }
        }
    }

    /// <summary>
    /// The interval after a resync that began at <paramref name="began"/>, but at least
    /// <see cref="ResyncCostFactor"/> times what it took: reading a million routes back takes seconds
    /// on a busy node, and at a fixed 30 s the resyncs stalled the applies of a full BGP table.
    /// </summary>
    private DateTimeOffset NextResync(DateTimeOffset began)
    {
        var ended = Time.GetUtcNow();
        var byCost = ended + ((ended - began) * ResyncCostFactor);
        var byInterval = began + _resyncInterval;
        return byCost > byInterval ? byCost : byInterval;
    }

    private ApplyOutcome Pass(bool resync)
    {
        var started = Stopwatch.GetTimestamp();
        ApplyOutcome outcome;
        try
        {
            if (resync)
            {
                Resync();
            }
            outcome = Apply();
        }
#pragma warning disable CA1031 // the loop must outlive any kernel or datastore error; it is retried with backoff
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = new ApplyOutcome(e.Message, null);
        }
        _metrics.Observe(Name, Stopwatch.GetElapsedTime(started), outcome.Error is not null);
        Published();
        if (outcome.Error is not null)
        {
            _failing = true;
            _health.ReportFailure(Name, outcome.Error);
            LogApplyFailed(Name, outcome.Error);
            return outcome;
        }
        _backoff.Reset();
        if (_failing)
        {
            _failing = false;
            LogRecovered(Name);
        }
        if (InputsInSync)
        {
            _health.ReportReady(Name);
        }
        else
        {
            _health.ReportWaiting(Name, "waiting for its inputs to be in sync");
        }
        return outcome;
    }

    private async Task WaitForEventsAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(timeout, Time, cancelDelay.Token);
        var read = _events.Reader.WaitToReadAsync(stoppingToken).AsTask();
        await Task.WhenAny(delay, read).ConfigureAwait(false);
        await cancelDelay.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private static DateTimeOffset Earliest(DateTimeOffset first, params DateTimeOffset?[] others)
    {
        var earliest = first;
        foreach (var other in others)
        {
            if (other is { } value && value < earliest)
            {
                earliest = value;
            }
        }
        return earliest;
    }

    [LoggerMessage(EventId = EventIds.ReconcileFailed, Level = LogLevel.Warning, Message = "{Reconciler}: apply failed, retrying with backoff: {Error}")]
    private partial void LogApplyFailed(string reconciler, string error);

    [LoggerMessage(EventId = EventIds.ReconcileRecovered, Level = LogLevel.Information, Message = "{Reconciler}: recovered")]
    private partial void LogRecovered(string reconciler);
}
