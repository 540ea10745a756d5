using Microsoft.Extensions.Time.Testing;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

public class ReleaseTests
{
    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task ReleaseHandle_Twice_SecondFreesNothingAndSucceeds(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        await ipam.AllocateAsync(V4("h1", "n1", count: 3));

        Assert.Equal(3, await ipam.ReleaseHandleAsync("h1"));
        Assert.Equal(0, await ipam.ReleaseHandleAsync("h1"));
        Assert.Equal(0, await ipam.ReleaseHandleAsync("never-existed"));
        Assert.True((await ipam.CheckAsync()).IsClean);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task ReleaseAddress_OneOfTwo_HandleKeepsTheOther(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        var got = await ipam.AllocateAsync(V4("h1", "n1", count: 2));

        Assert.Equal("h1", await ipam.ReleaseAddressAsync(got[0].Address));
        Assert.Null(await ipam.ReleaseAddressAsync(got[0].Address));

        Assert.Equal(1, (await store.GetAsync<IPAMHandle>("h1")).Spec.Block[got[0].Block.ToString()]);
        Assert.Equal("h1", (await ipam.GetAddressAsync(got[1].Address))?.HandleId);
        Assert.True((await ipam.CheckAsync()).IsClean);
        Assert.Equal("h1", await ipam.ReleaseAddressAsync(got[1].Address));
        Assert.Null(await store.TryGetAsync<IPAMHandle>("h1"));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Release_WithCoolDown_AddressNotReusedUntilItPasses(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "tiny", "10.9.0.0/30", blockSize: 30);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ipam = new IpamClient(store, clock);
        await ipam.ConfigureAsync(c => c with { ReleaseCooldownSeconds = 60 });
        var got = await ipam.AllocateAsync(V4("h1", "n1", count: 4));
        await ipam.ReleaseAddressAsync(got[2].Address);

        clock.Advance(TimeSpan.FromSeconds(59));
        var e = await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h2", "n1")));
        Assert.Equal(IpamErrorCode.NoAddressAvailable, e.Code);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(got[2].Address, (await ipam.AllocateAsync(V4("h2", "n1")))[0].Address);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Release_NoCoolDown_LongestFreeAddressReusedFirst(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "tiny", "10.9.0.0/29", blockSize: 29);
        var ipam = new IpamClient(store);
        var got = await ipam.AllocateAsync(V4("h1", "n1", count: 8));
        await ipam.ReleaseAddressAsync(got[5].Address);
        await ipam.ReleaseAddressAsync(got[1].Address);

        var next = await ipam.AllocateAsync(V4("h2", "n1", count: 2));

        Assert.Equal([got[5].Address, got[1].Address], next.Select(a => a.Address));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task ReleaseNode_FreesEmptyBlocksAndAffinities_KeepsUsedBlockOwnerless(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.9.0.0/24", blockSize: 29);
        var ipam = new IpamClient(store);
        await ipam.ConfigureAsync(c => c with { MaxBlocksPerHost = 0 });
        var kept = await ipam.AllocateAsync(V4("h1", "n1", count: 9)); // two blocks of 8
        await ipam.ReleaseAddressAsync(kept[8].Address);             // second block now empty

        await ipam.ReleaseNodeAsync("n1");

        Assert.Empty((await store.ListAsync<BlockAffinity>()).Items);
        var block = Assert.Single((await store.ListAsync<IPAMBlock>()).Items);
        Assert.Null(block.Spec.Affinity);
        Assert.True((await ipam.CheckAsync()).IsClean);
        Assert.Equal(8, await ipam.ReleaseHandleAsync("h1"));
    }
}
