using Microsoft.Extensions.Time.Testing;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Gc;
using RoutedNet.Ipam.Tests.Stores;
using static RoutedNet.Ipam.Tests.Allocation.IpamFixture;

namespace RoutedNet.Ipam.Tests.Allocation;

public class CheckAndGcTests
{
    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Check_LiveSetMissingHandle_ListsItAsLeaked(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        await ipam.AllocateAsync(V4("live", "n1"));
        var gone = await ipam.AllocateAsync(V4("gone", "n1", count: 2));

        var report = await ipam.CheckAsync(new HashSet<string> { "live" });

        Assert.Empty(report.Problems);
        var leaked = Assert.Single(report.Leaked);
        Assert.Equal("gone", leaked.HandleId);
        Assert.Equal(gone.Select(a => a.Address.ToString()).Order(), leaked.Addresses.Select(a => a.ToString()).Order());
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Gc_ReleasesDeadHandlesOlderThanGrace_KeepsYoungAndLive(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
        var ipam = new IpamClient(store, clock);
        await ipam.AllocateAsync(V4("live", "n1"));
        await ipam.AllocateAsync(V4("dead", "n1"));

        Assert.Empty(await ipam.GcAsync(new HashSet<string> { "live" }, TimeSpan.FromHours(1), GcScope.Cluster));
        var released = await ipam.GcAsync(new HashSet<string> { "live" }, TimeSpan.FromMinutes(5), GcScope.Cluster);

        Assert.Equal(["dead"], released);
        var report = await ipam.CheckAsync(new HashSet<string> { "live" });
        Assert.True(report.IsClean);
        Assert.Equal(1, report.Allocations);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Gc_NodeAndNetworkScope_OtherNodesAndPrefixNetworksUntouched(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store, new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10)));
        await ipam.AllocateAsync(Attachment("k8s", "dead", "n1"));
        await ipam.AllocateAsync(Attachment("k8s", "other-node", "n2"));
        await ipam.AllocateAsync(Attachment("k8s.foo", "other-net", "n1"));
        // No attributes: nothing proves it belongs to n1's k8s, so a scoped GC leaves it.
        await ipam.AllocateAsync(V4("k8s.bare.eth0", "n1") with { Attributes = new Dictionary<string, string>() });

        var released = await ipam.GcAsync(new HashSet<string>(), TimeSpan.FromMinutes(1), GcScope.Of("n1", "k8s"));

        Assert.Equal(["k8s.dead.eth0"], released);
        Assert.Equal(3, (await ipam.CheckAsync()).Allocations);
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Gc_ClusterScope_ReleasesEveryDeadHandle(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store, new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10)));
        await ipam.AllocateAsync(Attachment("k8s", "a", "n1"));
        await ipam.AllocateAsync(Attachment("k8s", "b", "n2"));

        var released = await ipam.GcAsync(new HashSet<string> { "k8s.a.eth0" }, TimeSpan.FromMinutes(1), GcScope.Cluster);

        Assert.Equal(["k8s.b.eth0"], released);
    }

    private static AllocationRequest Attachment(string network, string containerId, string node) => V4($"{network}.{containerId}.eth0", node) with
    {
        Attributes = new Dictionary<string, string> { [AttributeKeys.Node] = node, [AttributeKeys.ContainerId] = containerId, [AttributeKeys.Interface] = "eth0" },
    };

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Check_AllocationWithoutHandle_ReportsProblem(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        var got = await ipam.AllocateAsync(V4("h1", "n1"));
        await store.DeleteAsync<IPAMHandle>("h1");

        var report = await ipam.CheckAsync();

        Assert.Contains(report.Problems, p => p.Contains(got[0].Address.ToString(), StringComparison.Ordinal) && p.Contains("does not exist", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Check_HandleCountsMoreThanBlockHolds_ReportedAsInterruptedWrite_GcRecountsIt(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        var got = await ipam.AllocateAsync(V4("h1", "n1"));
        var handle = await store.GetAsync<IPAMHandle>("h1");
        await store.UpdateAsync(handle with { Spec = handle.Spec with { Block = new Dictionary<string, int> { [got[0].Block.ToString()] = 2 } } });

        var report = await ipam.CheckAsync(new HashSet<string> { "h1" });

        Assert.Empty(report.Problems);
        Assert.Contains(report.Interrupted, p => p.Contains("counts 2", StringComparison.Ordinal) && p.Contains("holds 1", StringComparison.Ordinal));
        await new IpamClient(store, new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(5))).GcAsync(new HashSet<string> { "h1" }, TimeSpan.FromMinutes(1), GcScope.Cluster);
        Assert.True((await ipam.CheckAsync(new HashSet<string> { "h1" })).IsClean);
        Assert.Equal(1, (await store.GetAsync<IPAMHandle>("h1")).Spec.Block[got[0].Block.ToString()]);
        Assert.Equal(1, await ipam.ReleaseHandleAsync("h1"));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Check_HandleCountsFewerThanBlockHolds_ReportsProblem(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        var got = await ipam.AllocateAsync(V4("h1", "n1", count: 2));
        var handle = await store.GetAsync<IPAMHandle>("h1");
        await store.UpdateAsync(handle with { Spec = handle.Spec with { Block = new Dictionary<string, int> { [got[0].Block.ToString()] = 1 } } });

        Assert.Contains((await ipam.CheckAsync()).Problems, p => p.Contains("counts 1", StringComparison.Ordinal) && p.Contains("holds 2", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Check_BlockOutsidePoolsAndAffinityMismatch_ReportsBoth(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        var ipam = new IpamClient(store);
        var got = await ipam.AllocateAsync(V4("h1", "n1"));
        // Forced while the address is held, so the block outlives its pool (an unforced delete takes empty blocks with it).
        await store.CommitAsync(new StoreTransaction().Delete<IPPool>("p4", force: true));
        await ipam.ReleaseHandleAsync("h1");
        var block = Assert.Single((await store.ListAsync<IPAMBlock>()).Items);
        await store.UpdateAsync(block with { Spec = block.Spec with { Affinity = "host:n2" } });

        var report = await ipam.CheckAsync();

        Assert.Contains(report.Problems, p => p.Contains($"block {got[0].Block} lies outside every IP pool", StringComparison.Ordinal));
        // Both are what an interrupted node release leaves, repaired by gc (below, in IpamCrashTests).
        Assert.Contains(report.Interrupted, p => p.Contains("belongs to node n2", StringComparison.Ordinal));
        Assert.Contains(report.Interrupted, p => p.Contains("node n1 is confirmed", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes.Both), MemberType = typeof(Modes))]
    public async Task Gc_PendingAffinityLeftByCrash_RemovedAfterGrace(StoreMode mode)
    {
        var (temp, store) = await TempStore.CreateAsync(mode);
        await using var _ = temp;
        await AddPoolAsync(store, "p4", "10.244.0.0/16");
        await store.CreateAsync(new BlockAffinity
        {
            Metadata = new ObjectMeta { Name = "n1-10-244-5-0-24" },
            Spec = new BlockAffinitySpec { Node = "n1", Cidr = "10.244.5.0/24", State = BlockAffinitySpec.StatePending },
        });
        var ipam = new IpamClient(store, new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(5)));

        Assert.Equal(["n1-10-244-5-0-24"], (await ipam.CheckAsync()).StaleAffinities);
        await ipam.GcAsync(new HashSet<string>(), TimeSpan.FromMinutes(1), GcScope.Cluster);

        Assert.True((await ipam.CheckAsync()).IsClean);
    }
}
