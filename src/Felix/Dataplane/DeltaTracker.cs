namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// Desired state next to what the dataplane holds, with the difference kept up to date on every
/// change, so that an apply touches only pending updates and deletions instead of diffing the
/// whole table (the idea of Calico's felix/deltatracker). A full resync replaces the dataplane side
/// wholesale; keys whose values agree drop out of the pending sets. Not thread-safe: it belongs to
/// one reconciler loop.
/// </summary>
public sealed class DeltaTracker<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _desired = [];
    private Dictionary<TKey, TValue> _dataplane = [];
    private readonly HashSet<TKey> _pendingUpdates = [];
    private readonly HashSet<TKey> _pendingDeletions = [];
    private readonly IEqualityComparer<TValue> _valueComparer;

    public DeltaTracker(IEqualityComparer<TValue>? valueComparer = null) =>
        _valueComparer = valueComparer ?? EqualityComparer<TValue>.Default;

    /// <summary>Keys whose desired value is not (yet) in the dataplane.</summary>
    public IReadOnlyCollection<TKey> PendingUpdates => _pendingUpdates;

    /// <summary>Keys in the dataplane that are not desired.</summary>
    public IReadOnlyCollection<TKey> PendingDeletions => _pendingDeletions;

    public IReadOnlyDictionary<TKey, TValue> Desired => _desired;

    public IReadOnlyDictionary<TKey, TValue> Dataplane => _dataplane;

    public bool InSync => _pendingUpdates.Count == 0 && _pendingDeletions.Count == 0;

    public void SetDesired(TKey key, TValue value)
    {
        _desired[key] = value;
        Recompute(key);
    }

    public void DeleteDesired(TKey key)
    {
        _desired.Remove(key);
        Recompute(key);
    }

    /// <summary>Records a successful write (or a change seen in the dataplane).</summary>
    public void SetDataplane(TKey key, TValue value)
    {
        _dataplane[key] = value;
        Recompute(key);
    }

    public void DeleteDataplane(TKey key)
    {
        _dataplane.Remove(key);
        Recompute(key);
    }

    /// <summary>A full read-back of the dataplane replaces what we believed was there.</summary>
    public void ReplaceDataplane(IEnumerable<KeyValuePair<TKey, TValue>> actual)
    {
        var previous = _dataplane;
        _dataplane = new Dictionary<TKey, TValue>(actual);
        foreach (var key in previous.Keys)
        {
            Recompute(key);
        }
        foreach (var key in _dataplane.Keys)
        {
            Recompute(key);
        }
        foreach (var key in _desired.Keys)
        {
            Recompute(key);
        }
    }

    private void Recompute(TKey key)
    {
        var inDataplane = _dataplane.TryGetValue(key, out var actual);
        if (_desired.TryGetValue(key, out var wanted))
        {
            _pendingDeletions.Remove(key);
            if (inDataplane && _valueComparer.Equals(wanted, actual))
            {
                _pendingUpdates.Remove(key);
            }
            else
            {
                _pendingUpdates.Add(key);
            }
            return;
        }
        _pendingUpdates.Remove(key);
        if (inDataplane)
        {
            _pendingDeletions.Add(key);
        }
        else
        {
            _pendingDeletions.Remove(key);
        }
    }
}
