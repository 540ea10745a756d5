using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.PolicyCounters;

/// <summary>
/// Reads the policy rules' counters, and the tiers' end and unknown-interface drops, from the
/// kernel when asked (a /metrics scrape, `policy status`): one nf_tables rule dump of `table inet
/// routednet` over netlink, never an `nft` exec, at most once a <see cref="MaxAge"/> however many
/// ask meanwhile. The counters are the kernel's own `counter`
/// expressions on the policy rules, so they live as long as the rule: an agent restart adopts the
/// table without touching them, and only a rewrite of the policy's chain (its rules changed) starts
/// them at 0 again, which Prometheus takes as a counter reset. Its own socket: reading never waits
/// for the policy loop's commits. Thread-safe.
/// </summary>
public sealed class PolicyCounterReader : IDisposable
{
    /// <summary>How old an answer may be: scrapes and status calls in a burst cost one dump.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly PolicyStatus _status;
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlyList<NftRule>>? _dump;
    private readonly Lock _lock = new();
    private NftablesHandle? _handle;
    private PolicyCounterSnapshot _last = PolicyCounterSnapshot.Empty;
    private DateTimeOffset? _readAt;
    private bool _disposed;

    /// <param name="dump">The rule dump (tests); null: the table's rules over netlink, in the agent's namespace.</param>
    public PolicyCounterReader(PolicyStatus status, TimeProvider time, Func<IReadOnlyList<NftRule>>? dump = null)
    {
        _status = status;
        _time = time;
        _dump = dump;
    }

    /// <summary>
    /// One count per rule of every policy chain in force (ordered by policy, direction and rule) and
    /// the implicit drops; empty before the first commit (there may be no table yet).
    /// </summary>
    public PolicyCounterSnapshot Read()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            if (_readAt is { } at && now - at < MaxAge)
            {
                return _last;
            }
            var current = _status.Current;
            try
            {
                if (current.LastCommit is null)
                {
                    _last = PolicyCounterSnapshot.Empty;
                }
                else
                {
                    var rules = Dump();
                    _last = new PolicyCounterSnapshot(PolicyRuleCounts.Collect(rules, current.PolicyChains), ImplicitDropCounts.Collect(rules));
                }
            }
            catch (Exception e) when (e is NetlinkException or InvalidDataException)
            {
                // Counters unknown: no series rather than stale ones; the next read opens a new socket.
                _status.CountError();
                _handle?.Dispose();
                _handle = null;
                _last = PolicyCounterSnapshot.Empty;
            }
            _readAt = now;
            return _last;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
    }

    // Opened on first use, in the process's own network namespace (the node's), like the policy loop's.
    private IReadOnlyList<NftRule> Dump() => _dump is { } dump ? dump() : (_handle ??= NftablesHandle.Open()).ListRules(PolicyTable.Name);
}
