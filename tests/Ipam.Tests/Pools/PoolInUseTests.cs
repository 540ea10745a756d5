using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Pools;

/// <summary>Issue 13 item 4: editing or deleting a pool whose blocks hold pods' addresses.</summary>
public class PoolInUseTests
{
    [Fact]
    public async Task EditPool_BlockSizeAfterAllocation_RefusedSoNoAddressIsHandedOutTwice()
    {
        var (temp, store) = await TempStore.CreateAsync();
        await using var _ = temp;
        var pool = await AddPoolAsync(store, "p", "10.244.0.0/16", blockSize: 26);
        var ipam = new IpamClient(store);
        var first = await ipam.AllocateAsync(V4("h1", "n1"));

        await Assert.ThrowsAsync<ResourceValidationException>(
            () => store.UpdateAsync(pool with { Spec = pool.Spec with { BlockSize = 24 }, Metadata = pool.Metadata with { ResourceVersion = null } }));
        var second = await ipam.AllocateAsync(V4("h2", "n2"));

        Assert.NotEqual(first[0].Address, second[0].Address);
        Assert.All((await store.ListAsync<IPAMBlock>()).Items, b => Assert.EndsWith("/26", b.Spec.Cidr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecreatePool_OtherBlockSizeOverBlocksOfAForcedDelete_Refused()
    {
        var (temp, store) = await TempStore.CreateAsync();
        await using var _ = temp;
        await AddPoolAsync(store, "p", "10.244.0.0/16", blockSize: 26);
        var ipam = new IpamClient(store);
        var first = await ipam.AllocateAsync(V4("h1", "n1"));
        await store.CommitAsync(new StoreTransaction().Delete<IPPool>("p", force: true));

        await Assert.ThrowsAsync<ResourceValidationException>(() => AddPoolAsync(store, "q", "10.244.0.0/16", blockSize: 24));
        await AddPoolAsync(store, "q", "10.244.0.0/16", blockSize: 26);
        var next = await ipam.AllocateAsync(V4("h2", "n1"));

        Assert.Equal(first[0].Block, next[0].Block);
        Assert.NotEqual(first[0].Address, next[0].Address);
        Assert.Single((await store.ListAsync<IPAMBlock>()).Items);
    }
}
