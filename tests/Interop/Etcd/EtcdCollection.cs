namespace RoutedNet.Interop.Etcd;

/// <summary>Every etcd test class shares one etcd daemon and runs one at a time (each wipes the keyspace).</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
