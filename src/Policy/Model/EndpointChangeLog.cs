namespace RoutedNet.Policy;

/// <summary>
/// Which endpoint ids changed from one generation of a cluster's endpoints to the next, newest
/// first, for the last few dozen generations: the agent makes a snapshot after every change, and
/// a consumer that saw generation G (the policy loop's selector sets) reads what changed since G
/// instead of comparing 10k endpoints one by one. Immutable; a log whose history no longer reaches
/// back to G says so, and the consumer compares everything once. Generations count within one
/// lineage (a log started by <see cref="Start"/>): another lineage's G means nothing here.
/// </summary>
public sealed class EndpointChangeLog
{
    // Kept generations. A consumer that falls further behind (the policy loop takes only the last
    // of a burst of inputs) compares in full once; 64 batches of a few ids cost nothing to keep.
    private const int MaxDepth = 64;

    private readonly object _lineage;
    private readonly string[] _ids;
    private readonly EndpointChangeLog? _older;
    private readonly int _depth;

    private EndpointChangeLog(object lineage, long generation, string[] ids, EndpointChangeLog? older)
    {
        _lineage = lineage;
        Generation = generation;
        _ids = ids;
        _older = older;
        _depth = older is null ? 1 : older._depth + 1;
    }

    /// <summary>A new lineage at generation 0, with no history.</summary>
    public static EndpointChangeLog Start() => new(new object(), 0, [], null);

    public long Generation { get; }

    /// <summary>The next generation, in which <paramref name="ids"/> changed (were added, changed or removed).</summary>
    public EndpointChangeLog Append(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new(_lineage, Generation + 1, [.. ids], _depth >= MaxDepth ? Newest(MaxDepth / 2) : this);
    }

    /// <summary>
    /// Adds to <paramref name="changed"/> the ids changed after generation <paramref name="since"/>
    /// of <paramref name="seen"/>'s lineage; false (and <paramref name="changed"/> incomplete) when
    /// this log cannot tell: another lineage, or history no longer kept.
    /// </summary>
    public bool TryChangedSince(EndpointChangeLog seen, ICollection<string> changed)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(changed);
        if (!ReferenceEquals(seen._lineage, _lineage) || seen.Generation > Generation)
        {
            return false;
        }
        for (var log = this; log is not null; log = log._older)
        {
            if (log.Generation == seen.Generation)
            {
                return true;
            }
            foreach (var id in log._ids)
            {
                changed.Add(id);
            }
        }
        return false;
    }

    // A copy of the newest generations only: the older ones become garbage once no snapshot holds them.
    private EndpointChangeLog Newest(int count)
    {
        var kept = new List<EndpointChangeLog>(count);
        for (var log = this; log is not null && kept.Count < count; log = log._older)
        {
            kept.Add(log);
        }
        EndpointChangeLog? copy = null;
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            copy = new(_lineage, kept[i].Generation, kept[i]._ids, copy);
        }
        return copy!;
    }
}
