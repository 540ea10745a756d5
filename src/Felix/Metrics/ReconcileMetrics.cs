using System.Collections.Concurrent;

namespace RoutedNet.Felix.Metrics;

/// <summary>Durations and failures of each reconciler's passes, by reconciler name.</summary>
public sealed class ReconcileMetrics
{
    private readonly ConcurrentDictionary<string, Histogram> _durations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);

    public void Observe(string reconciler, TimeSpan duration, bool failed)
    {
        _durations.GetOrAdd(reconciler, _ => new Histogram(Histogram.DurationBuckets)).Observe(duration.TotalSeconds);
        _failures.AddOrUpdate(reconciler, failed ? 1 : 0, (_, n) => failed ? n + 1 : n);
    }

    public IReadOnlyDictionary<string, Histogram> Durations => _durations;

    public IReadOnlyDictionary<string, long> Failures => _failures;
}
