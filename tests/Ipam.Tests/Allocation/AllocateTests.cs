using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

public class AllocateTests
{
    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_FirstAddress_ClaimsDefaultSizedBlockConfirmedForNode(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);

        var got = await ipam.AllocateAsync(V4("net.c1.eth0", "n1"));

        var address = Assert.Single(got);
        Assert.Equal(24, address.Block.PrefixLength);
        Assert.True(address.Block.Contains(address.Address));
        Assert.Equal("p4", address.Pool);
        var affinity = Assert.Single((await store.ListAsync<BlockAffinity>()).Items);
        Assert.Equal(("n1", BlockAffinitySpec.StateConfirmed, address.Block.ToString()), (affinity.Spec.Node, affinity.Spec.State, affinity.Spec.Cidr));
        var handle = await store.GetAsync<IPAMHandle>("net.c1.eth0");
        Assert.Equal(1, handle.Spec.Block[address.Block.ToString()]);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_SameNodeTwice_UsesItsOwnBlock_OtherNodeClaimsAnother(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);

        var a = (await ipam.AllocateAsync(V4("h1", "n1")))[0];
        var b = (await ipam.AllocateAsync(V4("h2", "n1")))[0];
        var c = (await ipam.AllocateAsync(V4("h3", "n2")))[0];

        Assert.Equal(a.Block, b.Block);
        Assert.NotEqual(a.Address, b.Address);
        Assert.NotEqual(a.Block, c.Block);
        Assert.Equal(2, (await store.ListAsync<IPAMBlock>()).Items.Count);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_DualStack_BothFamiliesUnderOneHandle_ReleasedTogether(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        await AddPoolAsync(store, "p6", "fd00:244::/56");
        var ipam = new IpamClient(store);

        var got = await ipam.AllocateAsync(V4("h1", "n1") with { IPv6Count = 1 });

        Assert.Equal(2, got.Count);
        Assert.Contains(got, a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && a.Block.PrefixLength == 122);
        Assert.Equal(2, (await store.GetAsync<IPAMHandle>("h1")).Spec.Block.Count);
        Assert.Equal(2, await ipam.ReleaseHandleAsync("h1"));
        Assert.Null(await store.TryGetAsync<IPAMHandle>("h1"));
        Assert.Null(await ipam.GetAddressAsync(got[0].Address));
        Assert.Null(await ipam.GetAddressAsync(got[1].Address));
        Assert.True((await ipam.CheckAsync()).IsClean);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_TwoBlockPoolThreeNodes_ThirdNodeBorrows(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "small", "10.9.0.0/28", blockSize: 29);
        var ipam = new IpamClient(store);
        var first = (await ipam.AllocateAsync(V4("h1", "n1")))[0];
        var second = (await ipam.AllocateAsync(V4("h2", "n2")))[0];

        var third = (await ipam.AllocateAsync(V4("h3", "n3")))[0];

        Assert.Contains(third.Block, new[] { first.Block, second.Block });
        Assert.DoesNotContain((await store.ListAsync<BlockAffinity>()).Items, a => a.Spec.Node == "n3");
        var info = await ipam.GetAddressAsync(third.Address);
        Assert.Equal("h3", info?.HandleId);
        Assert.NotEqual("n3", info?.BlockOwner);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_StrictAffinityNoBlockLeft_NoAddressErrorAndNothingAllocated(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "small", "10.9.0.0/28", blockSize: 29);
        var ipam = new IpamClient(store);
        await ipam.ConfigureAsync(c => c with { StrictAffinity = true });
        await ipam.AllocateAsync(V4("h1", "n1"));
        await ipam.AllocateAsync(V4("h2", "n2"));

        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h3", "n3")));

        Assert.Equal(IpamErrorCode.NoAddressAvailable, e.Code);
        Assert.Contains("strictAffinity", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.TryGetAsync<IPAMHandle>("h3"));
        Assert.Equal(2, (await ipam.CheckAsync()).Allocations);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_MaxBlocksPerHostReached_BorrowsInsteadOfClaiming(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "small", "10.9.0.0/27", blockSize: 29);
        var ipam = new IpamClient(store);
        await ipam.ConfigureAsync(c => c with { MaxBlocksPerHost = 1 });
        await ipam.AllocateAsync(V4("other", "n2"));

        var got = await ipam.AllocateAsync(V4("h1", "n1", count: 10));

        Assert.Equal(10, got.Select(a => a.Address).Distinct().Count());
        Assert.Single((await store.ListAsync<BlockAffinity>()).Items, a => a.Spec.Node == "n1");
        Assert.True((await ipam.CheckAsync()).IsClean);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_PoolExhausted_NoAddressAvailableAndRolledBack(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "tiny", "10.9.0.0/29", blockSize: 29);
        var ipam = new IpamClient(store);

        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h1", "n1", count: 9)));

        Assert.Equal(IpamErrorCode.NoAddressAvailable, e.Code);
        Assert.Equal(0, (await ipam.CheckAsync()).Allocations);
        Assert.Equal(8, (await ipam.AllocateAsync(V4("h2", "n1", count: 8))).Count);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_NodeSelector_PicksPoolMatchingNodeLabels(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "rack1", "10.1.0.0/16", selector: "rack == \"r1\"");
        await AddPoolAsync(store, "rack2", "10.2.0.0/16", selector: "rack == \"r2\"");
        await AddNodeAsync(store, "n1", ("rack", "r2"));
        var ipam = new IpamClient(store);

        Assert.Equal("rack2", (await ipam.AllocateAsync(V4("h1", "n1")))[0].Pool);
        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h2", "unlabelled")));
        Assert.Equal(IpamErrorCode.NoMatchingPool, e.Code);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_NamedPool_IgnoresSelectorsAndOtherPools(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "a", "10.1.0.0/16");
        await AddPoolAsync(store, "b", "10.2.0.0/16", selector: "has(nothing)");
        var ipam = new IpamClient(store);

        Assert.Equal("b", (await ipam.AllocateAsync(V4("h1", "n1") with { Pools = ["b"] }))[0].Pool);
        Assert.Equal("b", (await ipam.AllocateAsync(V4("h2", "n1") with { Pools = ["10.2.0.0/16"] }))[0].Pool);
        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h3", "n1") with { Pools = ["nope"] }));
        Assert.Equal(IpamErrorCode.InvalidRequest, e.Code);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_DisabledPool_NeverUsed(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "off", "10.1.0.0/16", disabled: true);
        var ipam = new IpamClient(store);

        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h1", "n1")));

        Assert.Equal(IpamErrorCode.NoMatchingPool, e.Code);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_SpecificAddress_GetsExactlyIt_SecondHandleGetsAddressInUse(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        var wanted = Ip("10.244.7.9");

        var got = await ipam.AllocateAsync(V4("h1", "n1") with { Addresses = [wanted] });

        Assert.Equal(wanted, Assert.Single(got).Address);
        Assert.Equal(IPNetwork.Parse("10.244.7.0/24"), got[0].Block);
        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h2", "n2") with { Addresses = [wanted] }));
        Assert.Equal(IpamErrorCode.AddressInUse, e.Code);
        Assert.True((await ipam.CheckAsync()).IsClean);
    }

    [Theory]
    [InlineData("10.99.0.1")]
    [InlineData("10.244.0.3")]
    public async Task Allocate_SpecificAddressOutsidePoolsOrReserved_AddressNotAvailable(string address)
    {
        var (temp, store) = await TempStore.CreateAsync();
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);

        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(
            V4("h1", "n1") with { Addresses = [Ip(address)], Reserved = [IPNetwork.Parse("10.244.0.0/30")] }));

        Assert.Equal(IpamErrorCode.AddressNotAvailable, e.Code);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Allocate_ReservedRanges_NeverHandedOut(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.9.0.0/28", blockSize: 28);
        var ipam = new IpamClient(store);
        var reserved = new[] { IPNetwork.Parse("10.9.0.0/30"), IPNetwork.Parse("10.9.0.15/32") };

        var got = await ipam.AllocateAsync(V4("h1", "n1", count: 11) with { Reserved = reserved });

        Assert.DoesNotContain(got, a => reserved.Any(r => r.Contains(a.Address)));
        await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h2", "n1") with { Reserved = reserved }));
    }
}
