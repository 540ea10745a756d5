using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The agent's copy of one kind, by name ("NAMESPACE/NAME" for a namespaced kind). A relist replaces it wholesale, which is how deletions
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
        _items = items.ToDictionary(KeyOf, StringComparer.Ordinal);
        Listed = true;
    }

    public void Upsert(T item) => _items[KeyOf(item)] = item;

    public void Remove(string name) => _items.Remove(name);

    public void Remove(T item) => _items.Remove(KeyOf(item));

    private static string KeyOf(T item) => item.Metadata.Namespace is { Length: > 0 } ns ? ns + "/" + item.Name : item.Name;
}
