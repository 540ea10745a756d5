using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Store;

namespace RoutedNet.Kubernetes;

/// <summary>
/// Opens the store a <see cref="DatastoreUrl"/> names, the <c>kubernetes</c> datastore included
/// (the binaries that link this library: routednetctl, routednet-node). sqlite and etcd are opened
/// by <see cref="StoreFactory"/>.
/// </summary>
public static class KubernetesStoreFactory
{
    /// <summary>
    /// Opens the store; for <c>kubernetes</c>, the API server <paramref name="kubeconfig"/> names
    /// (else $KUBECONFIG, else the pod's service account). Settings that cannot work are an
    /// <see cref="ArgumentException"/> with one line naming them; the API server is not contacted
    /// until the first call, whose failure to reach it is a <see cref="DatastoreUnavailableException"/>.
    /// </summary>
    public static Task<IStore> OpenAsync(DatastoreUrl url, EtcdSecurity etcd, string? kubeconfig, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Kind != DatastoreKind.Kubernetes)
        {
            return StoreFactory.OpenAsync(url, etcd, cancellationToken);
        }
        return Task.FromResult<IStore>(new TypedStore(new KubernetesBackend(KubeApi.Open(kubeconfig))));
    }
}
