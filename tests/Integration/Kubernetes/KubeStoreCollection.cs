namespace RoutedNet.Integration.Kubernetes;

/// <summary>The tests that share one stand-in API server (<see cref="KubeStoreFixture"/>), one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class KubeStoreCollection : ICollectionFixture<KubeStoreFixture>
{
    public const string Name = "kubernetes datastore";
}
