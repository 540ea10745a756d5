using RoutedNet.Datastore.Etcd;
using RoutedNet.Datastore.Sqlite;

namespace RoutedNet.Datastore;

/// <summary>Opens the store a <see cref="DatastoreUrl"/> names.</summary>
public static class StoreFactory
{
    public static Task<IStore> OpenAsync(string url, CancellationToken cancellationToken = default) =>
        OpenAsync(DatastoreUrl.Parse(url), cancellationToken);

    public static async Task<IStore> OpenAsync(DatastoreUrl url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Kind switch
        {
            DatastoreKind.Sqlite => new TypedStore(await SqliteBackend.OpenAsync(url.SqlitePath!, cancellationToken).ConfigureAwait(false)),
            DatastoreKind.Etcd => new TypedStore(new EtcdBackend(url.EtcdEndpoints)),
            _ => throw new ArgumentOutOfRangeException(nameof(url), url.Kind, "unsupported datastore"),
        };
    }
}
