namespace RoutedNet.Datastore;

public enum DatastoreKind
{
    Sqlite,
    Etcd,

    /// <summary>The cluster's API server (CRDs in routednet.io/v1 and the core Node); opened by RoutedNet.Kubernetes.</summary>
    Kubernetes,
}
