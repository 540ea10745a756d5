using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

/// <summary>A pool in use: its blocks are held and advertised by nodes, its addresses by pods.</summary>
public abstract partial class StoreContractTests
{
    [Theory]
    [InlineData("10.245.0.0/16", null)]
    [InlineData("10.244.0.0/16", 26)]
    [InlineData("10.244.0.0/15", null)]
    public async Task UpdatePool_CidrOrBlockSizeWhileItHasBlocks_RefusedWithTheWayOut(string cidr, int? blockSize)
    {
        var pool = await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewBlock("10.244.3.0/24", "n1", allocated: 1));

        var error = await Assert.ThrowsAsync<ResourceValidationException>(
            () => Store.UpdateAsync(pool with { Spec = pool.Spec with { Cidr = cidr, BlockSize = blockSize } }));

        Assert.Contains("IPPool \"p\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 block", error.Message, StringComparison.Ordinal);
        Assert.Contains("create a new pool", error.Message, StringComparison.Ordinal);
        Assert.Contains("disabled: true", error.Message, StringComparison.Ordinal);
        var stored = await Store.GetAsync<IPPool>("p");
        Assert.Equal(("10.244.0.0/16", (int?)null), (stored.Spec.Cidr, stored.Spec.BlockSize));
    }

    [Fact]
    public async Task UpdatePool_DisableOrSelectorWhileItHasBlocks_Accepted()
    {
        var pool = await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewBlock("10.244.3.0/24", "n1", allocated: 1));

        var updated = await Store.UpdateAsync(pool with { Spec = pool.Spec with { Disabled = true, NodeSelector = "rack == \"r1\"", BlockSize = 24 } });

        Assert.True(updated.Spec.Disabled);
    }

    [Theory]
    [InlineData("10.245.0.0/16", null)]
    [InlineData("10.244.0.0/16", 26)]
    public async Task UpdatePool_CidrOrBlockSizeWithoutBlocks_RefusedSayingDeleteAndCreate(string cidr, int? blockSize)
    {
        // The same rule as the IPPool CRD's CEL rules: kubectl edits on the kubernetes datastore
        // meet those, so every datastore refuses these edits alike.
        var pool = await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));

        var error = await Assert.ThrowsAsync<ResourceValidationException>(
            () => Store.UpdateAsync(pool with { Spec = pool.Spec with { Cidr = cidr, BlockSize = blockSize } }));

        Assert.Contains("IPPool \"p\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("delete \"p\" and create it again", error.Message, StringComparison.Ordinal);
        Assert.Equal("10.244.0.0/16", (await Store.GetAsync<IPPool>("p")).Spec.Cidr);
    }

    [Theory]
    [InlineData("10.244.0.0/16", 24)]
    [InlineData("10.244.3.0/27", 28)]
    public async Task CreatePool_OverlapsBlockLeftByDeletedPool_RefusedNamingTheBlock(string cidr, int blockSize)
    {
        await Store.CreateAsync(NewBlock("10.244.3.0/26", "n1", allocated: 2));

        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPool("new", cidr, blockSize)));

        Assert.Contains("10.244.3.0/26", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 addresses allocated", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task CreatePool_BlocksLeftFitItExactly_AcceptedAndAdoptsThem()
    {
        await Store.CreateAsync(NewBlock("10.244.3.0/26", "n1", allocated: 2));

        var pool = await Store.CreateAsync(NewPool("again", "10.244.0.0/16", 26));

        Assert.Equal("10.244.0.0/16", pool.Spec.Cidr);
    }

    [Fact]
    public async Task DeletePool_AddressesStillAllocated_RefusedSayingWhatRemains()
    {
        await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewBlock("10.244.3.0/24", "n1", allocated: 2));
        await Store.CreateAsync(NewBlock("10.244.4.0/24", "n2", allocated: 0));

        var error = await Assert.ThrowsAsync<ResourceInUseException>(() => Store.DeleteAsync<IPPool>("p"));

        Assert.Contains("IPPool \"p\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 allocated addresses", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.244.3.0/24 on node n1: 2", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await Store.TryGetAsync<IPPool>("p"));
        Assert.Equal(2, (await Store.ListAsync<IPAMBlock>()).Items.Count);
    }

    [Fact]
    public async Task DeletePool_Forced_DeletesItAndItsEmptyBlocksKeepsTheAllocatedOnes()
    {
        await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewPool("other", "10.250.0.0/16"));
        await Store.CreateAsync(NewBlock("10.244.3.0/24", "n1", allocated: 2));
        await Store.CreateAsync(NewBlock("10.244.4.0/24", "n2", allocated: 0));
        await Store.CreateAsync(NewBlock("10.250.1.0/24", "n2", allocated: 0));
        await Store.CreateAsync(NewAffinity("n2", "10.244.4.0/24"));
        await Store.CreateAsync(NewAffinity("n2", "10.250.1.0/24"));

        await Store.CommitAsync(new StoreTransaction().Delete<IPPool>("p", force: true));

        Assert.Null(await Store.TryGetAsync<IPPool>("p"));
        Assert.Equal(["10.244.3.0/24", "10.250.1.0/24"], (await Store.ListAsync<IPAMBlock>()).Items.Select(b => b.Spec.Cidr).Order());
        Assert.Equal(["10.250.1.0/24"], (await Store.ListAsync<BlockAffinity>()).Items.Select(a => a.Spec.Cidr));
    }

    [Fact]
    public async Task DeletePool_OnlyEmptyBlocks_DeletesThemAndTheirAffinitiesWithIt()
    {
        await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewBlock("10.244.4.0/24", "n2", allocated: 0));
        await Store.CreateAsync(NewAffinity("n2", "10.244.4.0/24"));

        await Store.DeleteAsync<IPPool>("p");

        Assert.Empty((await Store.ListAsync<IPAMBlock>()).Items);
        Assert.Empty((await Store.ListAsync<BlockAffinity>()).Items);
        await Store.CreateAsync(NewPool("renumbered", "10.244.0.0/16", 26));
    }

    private static IPAMBlock NewBlock(string cidr, string node, int allocated)
    {
        var size = 1 << (32 - int.Parse(cidr.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture));
        return new IPAMBlock
        {
            Metadata = new ObjectMeta { Name = cidr.Replace('.', '-').Replace('/', '-') },
            Spec = new IPAMBlockSpec
            {
                Cidr = cidr,
                Affinity = "host:" + node,
                Allocations = Enumerable.Range(0, size).Select(i => i < allocated ? (int?)0 : null).ToArray(),
                Unallocated = Enumerable.Range(allocated, size - allocated).ToArray(),
                Attributes = allocated > 0 ? [new AllocationAttribute { HandleId = "h1" }] : [],
            },
        };
    }

    private static BlockAffinity NewAffinity(string node, string cidr) => new()
    {
        Metadata = new ObjectMeta { Name = node + "-" + cidr.Replace('.', '-').Replace('/', '-') },
        Spec = new BlockAffinitySpec { Node = node, Cidr = cidr, State = BlockAffinitySpec.StateConfirmed },
    };
}
