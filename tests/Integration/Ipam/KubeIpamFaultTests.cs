using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Cache;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// The node agent's IPAM on the kubernetes datastore when the API server misbehaves, with the
/// stand-in's fault injection: a lost CAS, a failed write, a watch whose history is compacted.
/// </summary>
public sealed class KubeIpamFaultTests
{
    [Fact]
    public async Task Allocate_ConflictOnCachedBlock_RereadsJustThatBlock_AndSucceeds()
    {
        await using var target = await SequentialBackend.OpenAsync(SequentialBackend.Kubernetes);
        var server = target.Server!;
        var (ipam, cache) = await StartAgentAsync(target);
        await using var _ = cache;
        await ipam.AllocateAsync(Request("warm"));
        await server.ResetRequestCountsAsync();
        await server.AddFaultAsync("""{"verb":"update","resource":"ipamblocks.routednet.io","nth":1,"code":409}""");

        Assert.Single(await ipam.AllocateAsync(Request("pod1")));

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["create ipamhandles.routednet.io"] = 1,
                ["update ipamblocks.routednet.io"] = 2,
                ["get ipamblocks.routednet.io"] = 1,
            },
            WithoutWatches(await server.RequestCountsAsync()));
        var report = await new IpamClient(target.Store).CheckAsync(new HashSet<string> { "warm", "pod1" });
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
    }

    [Fact]
    public async Task Allocate_BlockWriteFailsWithServerError_FailsAndGivesTheHandleCountBack()
    {
        await using var target = await SequentialBackend.OpenAsync(SequentialBackend.Kubernetes);
        var server = target.Server!;
        var (ipam, cache) = await StartAgentAsync(target);
        await using var _ = cache;
        await ipam.AllocateAsync(Request("warm"));
        await server.AddFaultAsync("""{"verb":"update","resource":"ipamblocks.routednet.io","nth":1,"code":500}""");

        await Assert.ThrowsAnyAsync<RoutedNet.Datastore.DatastoreException>(() => ipam.AllocateAsync(Request("pod1")));

        Assert.Null(await target.Store.TryGetAsync<IPAMHandle>("pod1"));
        var report = await new IpamClient(target.Store).CheckAsync(new HashSet<string> { "warm" });
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
        Assert.Single(await ipam.AllocateAsync(Request("pod1")));
    }

    [Fact]
    public async Task Allocate_WatchHistoryCompactedWhileAnotherProcessAllocates_CacheRelists_NoAddressTwice()
    {
        await using var target = await SequentialBackend.OpenAsync(SequentialBackend.Kubernetes);
        var server = target.Server!;
        var (ipam, cache) = await StartAgentAsync(target);
        await using var _ = cache;
        var held = (await ipam.AllocateAsync(Request("a0"))).Select(a => a.Address).ToList();

        await server.CompactAsync();
        var other = new IpamClient(await target.ConnectAsync());
        for (var i = 1; i <= 3; i++)
        {
            held.AddRange((await other.AllocateAsync(Request($"b{i}"))).Select(a => a.Address));
        }
        for (var i = 1; i <= 3; i++)
        {
            held.AddRange((await ipam.AllocateAsync(Request($"a{i}"))).Select(a => a.Address));
        }

        Assert.Equal(7, held.Distinct().Count());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!cache.IsSynced)
        {
            Assert.True(DateTime.UtcNow < deadline, "the cache did not list again after the 410");
            await Task.Delay(20);
        }
        var report = await new IpamClient(target.Store).CheckAsync();
        Assert.True(report.IsClean, string.Join("; ", report.Problems.Concat(report.Interrupted)));
        Assert.Equal(7, report.Allocations);
    }

    private static async Task<(IpamClient Ipam, NodeBlockCache Cache)> StartAgentAsync(SequentialBackend target)
    {
        await target.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.238.0.0/16" } });
        var store = await target.ConnectAsync();
        var cache = new NodeBlockCache(store, "node1");
        await cache.StartAsync();
        return (new IpamClient(store, cache: cache), cache);
    }

    private static Dictionary<string, long> WithoutWatches(IReadOnlyDictionary<string, long> counts) =>
        counts.Where(c => !c.Key.StartsWith("watch ", StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value);

    private static AllocationRequest Request(string handle) => new()
    {
        HandleId = handle,
        Node = "node1",
        IPv4Count = 1,
        Attributes = new Dictionary<string, string> { [AttributeKeys.Node] = "node1" },
    };
}
