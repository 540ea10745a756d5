namespace RoutedNet.Datastore.Resources;

/// <summary>
/// The key an object has in the store (sqlite's name column, etcd's key suffix): its name, or
/// "NAMESPACE/NAME" for a namespaced kind. Names never hold '/', so the key splits back unambiguously.
/// </summary>
public static class StoreKeys
{
    public const char Separator = '/';

    public static string Of<T>(T resource)
        where T : Resource, IResourceKind<T> =>
        T.IsNamespaced ? Namespaced(resource.Metadata.Namespace ?? "", resource.Name) : resource.Name;

    public static string Namespaced(string @namespace, string name) => @namespace + Separator + name;

    /// <summary>Splits "NAMESPACE/NAME"; a key without '/' is (null, key).</summary>
    public static (string? Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf(Separator, StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
