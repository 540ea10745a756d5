namespace RoutedNet.Felix.Hosting;

/// <summary>
/// When the agent should hand its garbage back to the kernel: once a burst of work (a full table
/// learned, a resync, a policy rewrite) has ended. After a burst the GC keeps what the burst left
/// behind — the regions of gen0's budget, the old arrays of every dictionary that grew, promoted
/// garbage in gen2 — committed and resident, and an idle agent allocates too little to trigger
/// the full collection that would return it (docs/BENCHMARKS.md, idle agent: about half the RSS
/// of an idle node with 10k routes). A burst is <see cref="BurstBytes"/> allocated since the last
/// trim; it has ended when one check interval allocated less than <see cref="QuietBytes"/>.
/// </summary>
public sealed class MemoryTrimPolicy
{
    /// <summary>Allocated since the last trim that makes one worth its cost (a full compacting GC).</summary>
    public const long BurstBytes = 32L << 20;

    /// <summary>At most this much allocated in one interval counts as quiet.</summary>
    public const long QuietBytes = 1L << 20;

    private long _atLastTrim;
    private long _atLastCheck;

    /// <summary>Called once per interval with the process's total allocated bytes; true when a trim is due now.</summary>
    public bool Check(long allocated)
    {
        var quiet = allocated - _atLastCheck < QuietBytes;
        _atLastCheck = allocated;
        if (!quiet || allocated - _atLastTrim < BurstBytes)
        {
            return false;
        }
        _atLastTrim = allocated;
        return true;
    }
}
