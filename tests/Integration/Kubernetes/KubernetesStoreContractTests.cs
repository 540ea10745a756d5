using RoutedNet.Datastore;
using RoutedNet.Datastore.Tests.Contract;

namespace RoutedNet.Integration.Kubernetes;

/// <summary>
/// The store contract (tests/Datastore.Tests/Contract, unchanged) against the kubernetes datastore
/// on the stand-in API server: custom resources for the IPAM and BGP kinds, the core Node for Node.
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesStoreContractTests(KubeStoreFixture kube) : StoreContractTests
{
    protected override async Task<IStore> OpenEmptyStoreAsync()
    {
        await kube.WipeAsync();
        return await kube.OpenAsync();
    }

    protected override Task<IStore> OpenSameStoreAsync() => kube.OpenAsync();
}
