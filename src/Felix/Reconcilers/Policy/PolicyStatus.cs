using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// What the node enforces, published by the policy loop after every pass and read by the API
/// (`routednetctl policy status`) and /metrics. Thread-safe: one immutable snapshot swapped in.
/// A caller that changed the datastore waits for its write's revision to be enforced
/// (<see cref="WaitEnforcedAsync"/>, the WaitPolicyRevision RPC) instead of polling: a poll loop
/// on a small node takes CPU from the very agent it waits for.
/// </summary>
public sealed class PolicyStatus
{
    private readonly Waiters<Snapshot> _snapshots = new(new Snapshot(0, [], [], 0, 0, null, null, 0));
    private long _batches;
    private long _errors;
    private long _waitTimeouts;
    private long _revoked;

    /// <summary>One pass's view: enforced revision, endpoints programmed and pending, policy counts, last latency.</summary>
    public sealed record Snapshot(
        long EnforcedRevision,
        IReadOnlyList<string> ProgrammedEndpoints,
        IReadOnlyList<string> PendingEndpoints,
        int Policies,
        int ActivePolicies,
        TimeSpan? LastProgramming,
        DateTimeOffset? LastCommit,
        int SetElements)
    {
        /// <summary>The shared policy chains in force and what each enforces: how rule counters are labelled.</summary>
        public IReadOnlyDictionary<string, PolicyChainInfo> PolicyChains { get; init; } = new Dictionary<string, PolicyChainInfo>();

        /// <summary>
        /// nf_tables transactions committed up to this pass, its conntrack pass included: what the
        /// API reports, so that a caller who sees the count move also sees the flows the commit
        /// refused already cut (the live <see cref="PolicyStatus.Batches"/> moves between the two).
        /// </summary>
        public long Batches { get; init; }
    }

    public Snapshot Current => _snapshots.Current;

    /// <summary>Event to committed, in seconds.</summary>
    public Histogram ProgrammingSeconds { get; } = new(Histogram.DurationBuckets);

    public long Batches => Interlocked.Read(ref _batches);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>CNI ADDs whose wait for the pod's policy ran out (the pod stays closed).</summary>
    public long WaitTimeouts => Interlocked.Read(ref _waitTimeouts);

    /// <summary>Conntrack entries deleted because policy no longer allows them.</summary>
    public long Revoked => Interlocked.Read(ref _revoked);

    internal void CountRevoked(int entries) => Interlocked.Add(ref _revoked, entries);

    /// <summary>
    /// Completes once a published snapshot enforces <paramref name="revision"/> or a later one
    /// (at once if the current one does); true then, false when <paramref name="timeout"/> ran out first.
    /// </summary>
    public Task<bool> WaitEnforcedAsync(long revision, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        return _snapshots.WaitAsync(s => s.EnforcedRevision >= revision, timeout, time, cancellationToken);
    }

    internal void Publish(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshots.Publish(snapshot);
    }

    internal void CountBatch() => Interlocked.Increment(ref _batches);

    internal void CountError() => Interlocked.Increment(ref _errors);

    internal void CountWaitTimeout() => Interlocked.Increment(ref _waitTimeouts);
}
