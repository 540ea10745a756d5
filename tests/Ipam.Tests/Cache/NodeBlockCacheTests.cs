using System.Net;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Cache;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Cache;

/// <summary>
/// The node agent's IpamClient with a <see cref="NodeBlockCache"/>: requests to the store per
/// allocation and release, counted by <see cref="RecordingStore"/>. On the Kubernetes API every
/// read and write is one API request, and the issue asks for at most 2 per pod ADD in steady state.
/// </summary>
public class NodeBlockCacheTests
{
    [Theory]
    [InlineData(StoreMode.Sequential, 2)]
    [InlineData(StoreMode.Transactional, 1)]
    public async Task Allocate_BlockAlreadyOwned_WritesHandleAndBlockOnly_NoRead_ReleaseTheSame(StoreMode mode, int writes)
    {
        await using var agent = await AgentIpam.StartAsync(mode);
        var (store, ipam) = (agent.Store, agent.Ipam);
        await ipam.AllocateAsync(V4("warm", "n1"));
        store.ResetCounts();

        var got = Assert.Single(await ipam.AllocateAsync(V4("h1", "n1")));

        Assert.Equal((writes, 0), (store.Writes, store.Reads));
        store.ResetCounts();

        Assert.Equal(1, await ipam.ReleaseHandleAsync("h1"));

        Assert.Equal((writes, 0), (store.Writes, store.Reads));
        var report = await new IpamClient(store).CheckAsync(new HashSet<string> { "warm" });
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
        Assert.Null(await new IpamClient(store).GetAddressAsync(got.Address));
    }

    [Fact]
    public async Task Allocate_CachedBlockChangedByAnotherProcess_ConflictRereadsJustThatBlock_NoDuplicate()
    {
        await using var agent = await AgentIpam.StartAsync(StoreMode.Sequential);
        var (temp, store, ipam) = (agent.Temp, agent.Store, agent.Ipam);
        var first = Assert.Single(await ipam.AllocateAsync(V4("h1", "n1")));
        IPAddress other;
        using (await store.HoldWatchesAsync())
        {
            // Another process of the node (a CNI plugin on the direct path) takes an address the
            // cache has not heard of yet.
            other = Assert.Single(await new IpamClient(await temp.OpenAsync(StoreMode.Sequential)).AllocateAsync(V4("h2", "n1"))).Address;
            store.ResetCounts();

            var third = Assert.Single(await ipam.AllocateAsync(V4("h3", "n1")));

            // handle, block (conflict), the block read again, block.
            Assert.Equal((3, 1), (store.Writes, store.Reads));
            Assert.Equal(3, new[] { first.Address, other, third.Address }.Distinct().Count());
        }
        var report = await new IpamClient(store).CheckAsync(new HashSet<string> { "h1", "h2", "h3" });
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
        Assert.Equal(3, report.Allocations);
    }

    [Fact]
    public async Task Allocate_SevenArrivingWhileABlockWriteIsUnderWay_ShareTheNextWrite_ReleasesTheSame()
    {
        await using var agent = await AgentIpam.StartAsync(StoreMode.Sequential);
        var (store, ipam) = (agent.Store, agent.Ipam);
        var block = BlockNames.ForBlock(Assert.Single(await ipam.AllocateAsync(V4("warm", "n1"))).Block);
        store.ResetCounts();

        var adds = new List<Task<IReadOnlyList<AllocatedAddress>>>();
        using (await store.HoldBlockWritesAsync())
        {
            adds.Add(ipam.AllocateAsync(V4("p0", "n1")));
            await Until(() => store.BlockWritesHeld == 1);
            adds.AddRange(Enumerable.Range(1, 7).Select(i => ipam.AllocateAsync(V4($"p{i}", "n1"))));
            await Until(() => ipam.ChangesWaitingFor(block) == 7);
        }
        var got = await Task.WhenAll(adds);

        // 8 handles created, then the block written twice: p0 alone, the other seven together.
        Assert.Equal((10, 0), (store.Writes, store.Reads));
        Assert.Equal(8, got.Select(g => Assert.Single(g).Address).Distinct().Count());
        store.ResetCounts();

        var releases = new List<Task<int>>();
        using (await store.HoldBlockWritesAsync())
        {
            releases.Add(ipam.ReleaseHandleAsync("p0"));
            await Until(() => store.BlockWritesHeld == 1);
            releases.AddRange(Enumerable.Range(1, 7).Select(i => ipam.ReleaseHandleAsync($"p{i}")));
            await Until(() => ipam.ChangesWaitingFor(block) == 7);
        }

        Assert.All(await Task.WhenAll(releases), freed => Assert.Equal(1, freed));
        Assert.Equal((10, 0), (store.Writes, store.Reads));
        var report = await new IpamClient(store).CheckAsync(new HashSet<string> { "warm" });
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
        Assert.Equal(1, report.Allocations);
    }

    [Fact]
    public async Task Allocate_FortyInParallelThroughOneCache_TwoWritesEach_NoConflictNoRead_AllDistinct()
    {
        await using var agent = await AgentIpam.StartAsync(StoreMode.Sequential);
        var (store, ipam) = (agent.Store, agent.Ipam);
        await ipam.AllocateAsync(V4("warm", "n1"));
        store.ResetCounts();

        var got = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ipam.AllocateAsync(V4($"p{i}", "n1"))));

        // 40 handles and at most 40 block writes (fewer where allocations shared one): no conflict.
        Assert.Equal(0, store.Reads);
        Assert.InRange(store.Writes, 41, 80);
        Assert.Equal(40, got.Select(g => Assert.Single(g).Address).Distinct().Count());
        store.ResetCounts();
        var freed = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ipam.ReleaseHandleAsync($"p{i}")));
        Assert.All(freed, f => Assert.Equal(1, f));
        Assert.Equal(0, store.Reads);
        Assert.InRange(store.Writes, 41, 80);
        Assert.True((await new IpamClient(store).CheckAsync(new HashSet<string> { "warm" })).IsClean);
    }

    [Fact]
    public async Task Allocate_PoolAddedAfterStart_SeenThroughTheWatch()
    {
        var (temp, store) = await TempStore.CreateAsync(StoreMode.Sequential);
        await using var _ = temp;
        await using var cache = new NodeBlockCache(store, "n1");
        await cache.StartAsync();
        var ipam = new IpamClient(store, cache: cache);
        await Assert.ThrowsAsync<IpamException>(() => ipam.AllocateAsync(V4("h0", "n1")));

        await AddPoolAsync(store, "p4", "10.244.0.0/16");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!cache.TryGetPools(out var pools) || pools.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the cache never saw the new pool");
            await Task.Delay(20);
        }
        Assert.True(IPNetwork.Parse("10.244.0.0/16").Contains(Assert.Single(await ipam.AllocateAsync(V4("h1", "n1"))).Address));
    }

    [Fact]
    public async Task Allocate_PoolCreatedJustBefore_FoundInTheStoreBeforeTheWatchBringsIt()
    {
        var (temp, store) = await TempStore.CreateAsync(StoreMode.Sequential);
        await using var _ = temp;
        await using var cache = new NodeBlockCache(store, "n1");
        await cache.StartAsync();
        var ipam = new IpamClient(store, cache: cache);

        // The ADD right after the pool's write (a user applying a pool, then starting a pod): no "no pool" error.
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var allocated = await ipam.AllocateAsync(V4("h1", "n1"));

        Assert.True(IPNetwork.Parse("10.244.0.0/16").Contains(Assert.Single(allocated).Address));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the requests never queued up as expected");
            await Task.Delay(5);
        }
    }

    /// <summary>The agent's IPAM on node n1: pool p4 (10.244.0.0/16), the node's cache started, the client using it.</summary>
    private sealed class AgentIpam : IAsyncDisposable
    {
        private AgentIpam(TempStore temp, RecordingStore store, NodeBlockCache cache)
        {
            (Temp, Store, Cache) = (temp, store, cache);
            Ipam = new IpamClient(store, cache: cache);
        }

        public TempStore Temp { get; }

        public RecordingStore Store { get; }

        public NodeBlockCache Cache { get; }

        public IpamClient Ipam { get; }

        public static async Task<AgentIpam> StartAsync(StoreMode mode)
        {
            var (temp, store) = await TempStore.CreateAsync(mode);
            await AddPoolAsync(store, "p4", "10.244.0.0/16");
            var cache = new NodeBlockCache(store, "n1");
            await cache.StartAsync();
            return new AgentIpam(temp, store, cache);
        }

        public async ValueTask DisposeAsync()
        {
            await Cache.DisposeAsync();
            await Temp.DisposeAsync();
        }
    }
}
