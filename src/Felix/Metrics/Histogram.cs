namespace RoutedNet.Felix.Metrics;

/// <summary>A Prometheus histogram: cumulative bucket counts, sum and count. Thread-safe.</summary>
public sealed class Histogram
{
    /// <summary>Seconds: reconcile passes range from tens of microseconds to seconds for 1M routes.</summary>
    public static readonly double[] DurationBuckets = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30];

    private readonly double[] _bounds;
    private readonly long[] _counts;
    private readonly Lock _lock = new();
    private double _sum;
    private long _count;

    public Histogram(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length];
    }

    public void Observe(double value)
    {
        lock (_lock)
        {
            for (var i = 0; i < _bounds.Length; i++)
            {
                if (value <= _bounds[i])
                {
                    _counts[i]++;
                }
            }
            _sum += value;
            _count++;
        }
    }

    /// <summary>(upper bound, cumulative count) per bucket, then the sum and count.</summary>
    public (IReadOnlyList<(double Bound, long Count)> Buckets, double Sum, long Count) Snapshot()
    {
        lock (_lock)
        {
            return (_bounds.Select((b, i) => (b, _counts[i])).ToList(), _sum, _count);
        }
    }
}
