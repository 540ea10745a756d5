using System.Runtime;
using Microsoft.Extensions.Hosting;

namespace RoutedNet.Felix.Hosting;

/// <summary>
/// Every <see cref="Interval"/>, asks <see cref="MemoryTrimPolicy"/> whether a burst of work has
/// just ended and, if so, runs one aggressive full collection: compacts the heap and decommits
/// what is free, so an idle agent's RSS is its live data rather than the high-water mark of its
/// last burst. Costs one check (no allocation) per interval while idle.
/// </summary>
public sealed class MemoryTrimmer(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly MemoryTrimPolicy _policy = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_policy.Check(GC.GetTotalAllocatedBytes()))
            {
                // Large object heap too: the old arrays of grown route tables live there.
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }
    }
}
