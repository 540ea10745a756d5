using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The agent's copy of one kind, by name. A relist replaces it wholesale, which is how deletions
/// missed while a watch was broken are synthesised: whatever is not in the new list is gone.
/// </summary>
public sealed class ResourceCache<T>
    where T : Resource
{
    private Dictionary<string, T> _items = new(StringComparer.Ordinal);

    public bool Listed { get; private set; }

    public IReadOnlyDictionary<string, T> Items => _items;

    public void ReplaceAll(IEnumerable<T> items)
    {
        _items = items.ToDictionary(i => i.Name, StringComparer.Ordinal);
        Listed = true;
    }

    public void Upsert(T item) => _items[item.Name] = item;

    public void Remove(string name) => _items.Remove(name);
}
