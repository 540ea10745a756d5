using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// Reads a kernel's route for one prefix every 20 ms on a thread of its own until disposed: how
/// many reads found it missing, and when the first of them was (from the sampler's start), for a
/// test that says a FIB kept a route through an event, or dropped it within a bound.
/// </summary>
internal sealed class FibSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Task _loop;
    private int _samples;
    private int _missing;
    private long _firstMissingTicks = -1;

    public FibSampler(NetNs ns, string prefix, string expected)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _samples);
                if (!ns.Check("ip", "route", "show", prefix).Stdout.Contains(expected, StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _missing);
                    Interlocked.CompareExchange(ref _firstMissingTicks, _clock.Elapsed.Ticks, -1);
                }
                await Task.Delay(20);
            }
        });
    }

    public int Samples => Volatile.Read(ref _samples);

    public int Missing => Volatile.Read(ref _missing);

    /// <summary>From the sampler's start to the first read without the route; null while every read had it.</summary>
    public TimeSpan? FirstMissing => Interlocked.Read(ref _firstMissingTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
