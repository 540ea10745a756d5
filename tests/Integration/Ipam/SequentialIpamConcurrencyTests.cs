using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Cache;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// The IPAM concurrency scenarios that run on sqlite and etcd with the CNI binary (tests/Interop/Ipam),
/// on a store without multi-object transactions, where the node agent allocates: one IpamClient
/// with its NodeBlockCache and its own connection per node, each serving many ADDs at once.
/// </summary>
public sealed class SequentialIpamConcurrencyTests
{
    public static TheoryData<string> Backends => [SequentialBackend.SqliteWithoutTransactions];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ParallelAdds_FourNodesHundredEach_AllDistinct_OneBlockPerNode_DelLeavesNothing(string backend)
    {
        await using var target = await SequentialBackend.OpenAsync(backend);
        await AddPoolAsync(target, "10.234.0.0/16");
        var agents = await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Agent.StartAsync(target, $"node{n}")));
        try
        {
            var ids = Enumerable.Range(0, 400).ToArray();

            var adds = await Task.WhenAll(ids.Select(i => agents[i % 4].Ipam.AllocateAsync(Request($"c{i}", $"node{i % 4}"))));

            Assert.Equal(400, adds.Select(a => Assert.Single(a).Address).Distinct().Count());
            var affinities = (await target.Store.ListAsync<BlockAffinity>()).Items;
            // 100 addresses fit in one /24: each node claims exactly one block, however its ADDs interleave.
            Assert.Equal(["node0", "node1", "node2", "node3"], affinities.Select(a => a.Spec.Node).Order());
            Assert.All(affinities, a => Assert.Equal(BlockAffinitySpec.StateConfirmed, a.Spec.State));

            var dels = await Task.WhenAll(ids.Select(i => agents[i % 4].Ipam.ReleaseHandleAsync($"c{i}")));

            Assert.All(dels, d => Assert.Equal(1, d));
            var report = await new IpamClient(target.Store).CheckAsync();
            Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
            Assert.Equal(0, report.Allocations);
            Assert.Empty((await target.Store.ListAsync<IPAMHandle>()).Items);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Add_TwoBlockPoolThirdNode_BorrowsUnlessStrictAffinity(string backend)
    {
        await using var target = await SequentialBackend.OpenAsync(backend);
        await AddPoolAsync(target, "10.235.0.0/23");
        var ipam = new IpamClient(target.Store);
        await ipam.AllocateAsync(Request("a", "n1"));
        await ipam.AllocateAsync(Request("b", "n2"));
        await ipam.ConfigureAsync(c => c with { StrictAffinity = true });
        await using var n3 = await Agent.StartAsync(target, "n3");

        var strict = await Assert.ThrowsAsync<IpamException>(() => n3.Ipam.AllocateAsync(Request("c", "n3")));

        Assert.Equal(IpamErrorCode.NoAddressAvailable, strict.Code);
        Assert.Null(await target.Store.TryGetAsync<IPAMHandle>("c"));
        Assert.Equal(2, (await ipam.CheckAsync()).Allocations);

        await ipam.ConfigureAsync(c => c with { StrictAffinity = false });
        await Eventually(async () => !(await n3.Ipam.GetConfigAsync()).StrictAffinity);
        var borrowed = Assert.Single(await n3.Ipam.AllocateAsync(Request("c", "n3")));

        Assert.NotNull(await ipam.GetAddressAsync(borrowed.Address));
        Assert.DoesNotContain((await target.Store.ListAsync<BlockAffinity>()).Items, a => a.Spec.Node == "n3");
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.Equal(1, await ipam.ReleaseHandleAsync(id));
        }
        var report = await ipam.CheckAsync();
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
        Assert.Equal(0, report.Allocations);
    }

    private static AllocationRequest Request(string handle, string node) => new()
    {
        HandleId = handle,
        Node = node,
        IPv4Count = 1,
        Attributes = new Dictionary<string, string> { [AttributeKeys.Node] = node },
    };

    private static Task<IPPool> AddPoolAsync(SequentialBackend target, string cidr) =>
        target.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = cidr, BlockSize = 24 } });

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>A node agent's IPAM: its own connection, its cache (started), one IpamClient.</summary>
    private sealed class Agent : IAsyncDisposable
    {
        private Agent(NodeBlockCache cache, IpamClient ipam)
        {
            Cache = cache;
            Ipam = ipam;
        }

        public NodeBlockCache Cache { get; }

        public IpamClient Ipam { get; }

        public static async Task<Agent> StartAsync(SequentialBackend target, string node)
        {
            var store = await target.ConnectAsync();
            var cache = new NodeBlockCache(store, node);
            await cache.StartAsync();
            return new Agent(cache, new IpamClient(store, cache: cache));
        }

        public ValueTask DisposeAsync() => Cache.DisposeAsync();
    }
}
