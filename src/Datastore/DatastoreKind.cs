namespace RoutedNet.Datastore;

public enum DatastoreKind
{
    Sqlite,
    Etcd,
    Kubernetes,
}
