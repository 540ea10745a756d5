using RoutedNet.Datastore;
using RoutedNet.Datastore.Tests.Contract;

namespace RoutedNet.Interop.Etcd;

/// <summary>The store contract (tests/Datastore.Tests/Contract) against a real etcd 3.4.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdStoreContractTests(EtcdFixture etcd) : StoreContractTests
{
    protected override async Task<IStore> OpenEmptyStoreAsync()
    {
        await etcd.WipeAsync();
        return await StoreFactory.OpenAsync(etcd.Url);
    }

    protected override Task<IStore> OpenSameStoreAsync() => StoreFactory.OpenAsync(etcd.Url);
}
