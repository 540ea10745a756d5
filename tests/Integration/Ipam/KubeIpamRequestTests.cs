using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Cache;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// API requests per pod ADD and DEL with the kubernetes datastore, counted by the stand-in API
/// server (GET /routednet-test/requests): the node agent's IpamClient with its NodeBlockCache, in
/// steady state (the node already owns a block with room). The issue asks for at most 2.
/// </summary>
public sealed class KubeIpamRequestTests
{
    [Fact]
    public async Task AgentAllocateAndRelease_BlockAlreadyOwned_TwoApiWritesEach_NoRead()
    {
        await using var target = await SequentialBackend.OpenAsync(SequentialBackend.Kubernetes);
        var server = target.Server!;
        await target.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.236.0.0/16" } });
        var store = await target.ConnectAsync();
        await using var cache = new NodeBlockCache(store, "node1");
        await cache.StartAsync();
        var ipam = new IpamClient(store, cache: cache);
        await ipam.AllocateAsync(Request("warm"));
        await server.ResetRequestCountsAsync();

        var got = Assert.Single(await ipam.AllocateAsync(Request("pod1")));

        Assert.Equal(
            new Dictionary<string, long> { ["create ipamhandles.routednet.io"] = 1, ["update ipamblocks.routednet.io"] = 1 },
            WithoutWatches(await server.RequestCountsAsync()));
        await server.ResetRequestCountsAsync();

        Assert.Equal(1, await ipam.ReleaseHandleAsync("pod1"));

        Assert.Equal(
            new Dictionary<string, long> { ["update ipamblocks.routednet.io"] = 1, ["delete ipamhandles.routednet.io"] = 1 },
            WithoutWatches(await server.RequestCountsAsync()));
        Assert.Null(await new IpamClient(target.Store).GetAddressAsync(got.Address));
    }

    [Fact]
    public async Task AgentAllocate_EightAtOnce_AtMostSixteenApiWrites_NoRead_AllDistinct()
    {
        await using var target = await SequentialBackend.OpenAsync(SequentialBackend.Kubernetes);
        var server = target.Server!;
        await target.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = "10.237.0.0/16" } });
        var store = await target.ConnectAsync();
        await using var cache = new NodeBlockCache(store, "node1");
        await cache.StartAsync();
        var ipam = new IpamClient(store, cache: cache);
        await ipam.AllocateAsync(Request("warm"));
        await server.ResetRequestCountsAsync();

        var got = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ipam.AllocateAsync(Request($"pod{i}"))));

        Assert.Equal(8, got.Select(g => Assert.Single(g).Address).Distinct().Count());
        var counts = WithoutWatches(await server.RequestCountsAsync());
        // Allocations waiting while a block write is under way share the next one (group commit):
        // at most one block write each, and none lost to a conflict.
        Assert.Equal(["create ipamhandles.routednet.io", "update ipamblocks.routednet.io"], counts.Keys.Order());
        Assert.Equal(8, counts["create ipamhandles.routednet.io"]);
        Assert.InRange(counts["update ipamblocks.routednet.io"], 1, 8);
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
