using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The agent's copy of one kind, by name ("NAMESPACE/NAME" for a namespaced kind). A relist replaces it wholesale, which is how deletions
/// missed while a watch was broken are synthesised: whatever is not in the new list is gone.
/// With a partition function, the items are also kept by partition (WorkloadEndpoints by node),
/// each sorted by key: the agent reads its own node's share after every change, and filtering and
/// sorting 10k endpoints for it three times a change was a large part of a pod ADD's agent CPU
/// (bench/cni-latency.sh -A -P 1000). The keys that changed since the last
/// <see cref="TakeChangedKeys"/> are kept for one consumer (policy's endpoints, which are updated
/// change by change instead of made again from all items).
/// </summary>
public sealed class ResourceCache<T>
    where T : Resource
{
    private static readonly IReadOnlyDictionary<string, T> NoItems = new SortedDictionary<string, T>(StringComparer.Ordinal);

    private readonly Func<T, string?>? _partitionOf;
    private readonly Dictionary<string, SortedDictionary<string, T>> _partitions = new(StringComparer.Ordinal);
    private Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public ResourceCache(Func<T, string?>? partitionOf = null) => _partitionOf = partitionOf;

    public bool Listed { get; private set; }

    /// <summary>Moves at every change of the items (a consumer that made something of them can tell it still holds).</summary>
    public long Version { get; private set; }

    public IReadOnlyDictionary<string, T> Items => _items;

    /// <summary>The items of one partition, in ordinal key order (empty without a partition function).</summary>
    public IReadOnlyDictionary<string, T> InPartition(string partition) =>
        _partitions.TryGetValue(partition, out var items) ? items : NoItems;

    /// <summary>The keys whose item was added, replaced or removed since the last call (then forgotten).</summary>
    public IReadOnlyCollection<string> TakeChangedKeys()
    {
        if (_changed.Count == 0)
        {
            return [];
        }
        var changed = _changed.ToArray();
        _changed.Clear();
        return changed;
    }

    /// <summary>
    /// Takes a full list; false when it holds the very objects the cache held and the kind was
    /// listed before. (Objects are compared by reference, not by revision: the kubernetes
    /// datastore's derived kinds carry their source's revision but change with other sources.)
    /// </summary>
    public bool ReplaceAll(IEnumerable<T> items)
    {
        var old = _items;
        var changed = !Listed;
        _items = items.ToDictionary(KeyOf, StringComparer.Ordinal);
        foreach (var (key, item) in _items)
        {
            if (!old.TryGetValue(key, out var was) || !ReferenceEquals(was, item))
            {
                _changed.Add(key);
                changed = true;
            }
        }
        foreach (var key in old.Keys)
        {
            if (!_items.ContainsKey(key))
            {
                _changed.Add(key);
                changed = true;
            }
        }
        if (changed)
        {
            Version++;
            _partitions.Clear();
            foreach (var (key, item) in _items)
            {
                AddToPartition(key, item);
            }
        }
        Listed = true;
        return changed;
    }

    /// <summary>Adds or replaces one item; false when the cache already held it at that revision.</summary>
    public bool Upsert(T item)
    {
        var key = KeyOf(item);
        if (_items.TryGetValue(key, out var old))
        {
            // The same revision is the same object (the agent took its own write before the
            // watch echoed it): nothing changed.
            if (SameRevision(old, item))
            {
                return false;
            }
            RemoveFromPartition(key, old);
        }
        _items[key] = item;
        _changed.Add(key);
        AddToPartition(key, item);
        Version++;
        return true;
    }

    /// <summary>Removes one item; false when the cache did not hold it.</summary>
    public bool Remove(string name)
    {
        if (_items.Remove(name, out var old))
        {
            _changed.Add(name);
            RemoveFromPartition(name, old);
            Version++;
            return true;
        }
        return false;
    }

    public bool Remove(T item) => Remove(KeyOf(item));

    private static bool SameRevision(T held, T item) =>
        held.Metadata.ResourceVersion is { Length: > 0 } version && version == item.Metadata.ResourceVersion;

    private void AddToPartition(string key, T item)
    {
        if (_partitionOf?.Invoke(item) is { } partition)
        {
            if (!_partitions.TryGetValue(partition, out var items))
            {
                _partitions[partition] = items = new SortedDictionary<string, T>(StringComparer.Ordinal);
            }
            items[key] = item;
        }
    }

    private void RemoveFromPartition(string key, T item)
    {
        if (_partitionOf?.Invoke(item) is { } partition && _partitions.TryGetValue(partition, out var items))
        {
            items.Remove(key);
            if (items.Count == 0)
            {
                _partitions.Remove(partition);
            }
        }
    }

    private static string KeyOf(T item) => item.Metadata.Namespace is { Length: > 0 } ns ? ns + "/" + item.Name : item.Name;
}
