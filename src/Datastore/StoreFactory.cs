using RoutedNet.Datastore.Etcd;
using RoutedNet.Datastore.Sqlite;

namespace RoutedNet.Datastore;

/// <summary>Opens the store a <see cref="DatastoreUrl"/> names.</summary>
public static class StoreFactory
{
    public static Task<IStore> OpenAsync(string url, CancellationToken cancellationToken = default) =>
        OpenAsync(DatastoreUrl.Parse(url), cancellationToken);

    public static Task<IStore> OpenAsync(DatastoreUrl url, CancellationToken cancellationToken = default) =>
        OpenAsync(url, EtcdSecurity.None, cancellationToken);

    /// <summary>
    /// Opens the store, with <paramref name="etcd"/>'s TLS and auth for an etcd URL (ignored by the
    /// others). Settings that cannot work, or a TLS file that cannot be read, are an
    /// <see cref="ArgumentException"/> naming the setting.
    /// </summary>
    public static async Task<IStore> OpenAsync(DatastoreUrl url, EtcdSecurity etcd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(etcd);
        etcd.Validate(url);
        return url.Kind switch
        {
            DatastoreKind.Sqlite => new TypedStore(await SqliteBackend.OpenAsync(url.SqlitePath!, cancellationToken).ConfigureAwait(false)),
            DatastoreKind.Etcd => new TypedStore(new EtcdBackend(url.EtcdEndpoints, security: etcd)),
            // This library does not link the Kubernetes client: binaries that speak to the API server open it there.
            DatastoreKind.Kubernetes => throw new ArgumentException(
                "the kubernetes datastore is opened by RoutedNet.Kubernetes.KubernetesStoreFactory (routednetctl, routednet-node)", nameof(url)),
            _ => throw new ArgumentOutOfRangeException(nameof(url), url.Kind, "unsupported datastore"),
        };
    }
}
