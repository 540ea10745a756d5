using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Interop.Etcd;
using static RoutedNet.Interop.Ipam.IpamBinaries;

namespace RoutedNet.Interop.Ipam;

/// <summary>
/// `routednet-ipam` as runtimes exec it — many processes at once, each a simulated node — and
/// `routednetctl ipam check`, against both backends: a sqlite file and a real etcd 3.4.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class IpamBackendTests(EtcdFixture etcd)
{
    public static TheoryData<string> Backends => [IpamBackend.Sqlite, IpamBackend.Etcd];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ParallelAdds_FourNodesHundredEach_AllDistinct_OneBlockPerNode_DelLeavesNothing(string backend)
    {
        await using var store = await IpamBackend.OpenAsync(backend, etcd);
        await AddPoolAsync(store, "10.230.0.0/16");
        var ids = Enumerable.Range(0, 400).ToArray();

        var adds = await RunBoundedAsync(ids, 100, i => CniAsync(store.Url, "ADD", $"c{i}", $"node{i % 4}"));

        Assert.All(adds, r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));
        var addresses = adds.Select(r => JsonDocument.Parse(r.Stdout).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()).ToArray();
        Assert.Equal(400, addresses.Distinct().Count());
        var affinities = (await store.Store.ListAsync<BlockAffinity>()).Items;
        // 100 addresses fit in one /24: each node claims exactly one block, however its ADDs interleave.
        Assert.Equal(["node0", "node1", "node2", "node3"], affinities.Select(a => a.Spec.Node).Order());
        Assert.All(affinities, a => Assert.Equal(BlockAffinitySpec.StateConfirmed, a.Spec.State));

        var dels = await RunBoundedAsync(ids, 100, i => CniAsync(store.Url, "DEL", $"c{i}", $"node{i % 4}"));

        Assert.All(dels, r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));
        var check = await CtlAsync(store.Url, "ipam", "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("0 allocations", check.Stdout, StringComparison.Ordinal);
        Assert.Empty((await store.Store.ListAsync<IPAMHandle>()).Items);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Add_TwoBlockPoolThirdNode_BorrowsUnlessStrictAffinity(string backend)
    {
        await using var store = await IpamBackend.OpenAsync(backend, etcd);
        await AddPoolAsync(store, "10.231.0.0/23");
        Assert.Equal(0, (await CniAsync(store.Url, "ADD", "a", "n1")).ExitCode);
        Assert.Equal(0, (await CniAsync(store.Url, "ADD", "b", "n2")).ExitCode);
        (await CtlAsync(store.Url, "ipam", "configure", "--strict-affinity", "true")).EnsureSuccess();

        var strict = await CniAsync(store.Url, "ADD", "c", "n3");

        Assert.Equal(1, strict.ExitCode);
        var error = JsonDocument.Parse(strict.Stdout).RootElement;
        Assert.Equal(11, error.GetProperty("code").GetInt32());
        Assert.Contains("no free IPv4 address", error.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Contains("2 allocations", (await CtlAsync(store.Url, "ipam", "check")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.Null(await store.Store.TryGetAsync<IPAMHandle>(Handle("c")));

        (await CtlAsync(store.Url, "ipam", "configure", "--strict-affinity", "false")).EnsureSuccess();
        var borrowed = await CniAsync(store.Url, "ADD", "c", "n3");

        Assert.True(borrowed.ExitCode == 0, borrowed.Stdout + borrowed.Stderr);
        var show = (await CtlAsync(store.Url, "ipam", "show", "--show-borrowed")).EnsureSuccess().Stdout;
        Assert.Contains("n3", show, StringComparison.Ordinal);
        Assert.DoesNotContain((await store.Store.ListAsync<BlockAffinity>()).Items, a => a.Spec.Node == "n3");
        foreach (var id in new[] { "a", "b", "c" })
        {
            (await CniAsync(store.Url, "DEL", id, "n1")).EnsureSuccess();
        }
        Assert.Contains("0 allocations", (await CtlAsync(store.Url, "ipam", "check")).EnsureSuccess().Stdout, StringComparison.Ordinal);
    }

    private static Task<IPPool> AddPoolAsync(IpamBackend store, string cidr) =>
        store.Store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p" }, Spec = new IPPoolSpec { Cidr = cidr, BlockSize = 24 } });
}
