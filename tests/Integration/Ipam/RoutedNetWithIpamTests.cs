using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Cni;
using RoutedNet.Ipam;
using RoutedNet.Tests.TestKit;
using static RoutedNet.Integration.Cni.CniNode;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// The `routednet` plugin with `routednet-ipam` end to end on a namespace node, against a sqlite
/// store in the node's temp dir: addresses come from the pool and every attachment is recorded as
/// a WorkloadEndpoint while it exists.
/// </summary>
public sealed class RoutedNetWithIpamTests : IAsyncLifetime
{
    private const string NodeName = "rnt-node1";
    private readonly CniNode _node = new();
    private IStore _store = null!;

    private string Url => $"sqlite://{Path.Combine(_node.StateDir, "store.db")}";

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync(Url);
        await _store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = Subnet, BlockSize = 26 } });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task TwoPods_RoutedNetIpam_PingRecordedAsEndpoints_DelLeavesNothing()
    {
        Tools.Require("/usr/bin/ping", "iputils-ping");
        var a = _node.NewPod();
        var b = _node.NewPod();
        var config = CniConfigs.With(CniConfigs.With(_node.Config(), "datastore", Url), "nodeName", NodeName);
        config = CniConfigs.With(config, "ipam", new JsonObject { ["type"] = "routednet-ipam" });

        var addA = (await _node.Run("ADD", a, config)).EnsureSuccess();
        var addB = (await _node.Run("ADD", b, config)).EnsureSuccess();

        var (ipA, ipB) = (Bare(addA.Addresses.Single()), Bare(addB.Addresses.Single()));
        // Polled: eth0 may show NO-CARRIER for up to ~1 s after its peer moved namespaces.
        await Eventually.Until(() => a.Netns.Exec("ping", "-c", "1", "-W", "1", ipB).Succeeded, $"{ipA} to reach {ipB}", TimeSpan.FromSeconds(10));
        await Eventually.Until(() => b.Netns.Exec("ping", "-c", "1", "-W", "1", ipA).Succeeded, $"{ipB} to reach {ipA}", TimeSpan.FromSeconds(10));
        var endpoints = (await _store.ListAsync<WorkloadEndpoint>()).Items;
        Assert.Equal(2, endpoints.Count);
        foreach (var (pod, add) in new[] { (a, addA), (b, addB) })
        {
            var endpoint = Assert.Single(endpoints, e => e.Spec.ContainerID == pod.ContainerId);
            Assert.Equal([add.Addresses.Single()], endpoint.Spec.IPNetworks);
            Assert.Equal(NodeName, endpoint.Spec.Node);
            Assert.Equal(pod.Name, endpoint.Spec.Pod);
            Assert.Equal(add.HostInterface, endpoint.Spec.HostInterface);
        }
        Assert.Equal(2, (await new IpamClient(_store).CheckAsync()).Allocations);

        (await _node.Run("DEL", a, config)).EnsureSuccess();
        (await _node.Run("DEL", b, config)).EnsureSuccess();

        var report = await new IpamClient(_store).CheckAsync();
        Assert.True(report.IsClean, string.Join("; ", report.Problems));
        Assert.Equal(0, report.Allocations);
        Assert.Empty((await _store.ListAsync<WorkloadEndpoint>()).Items);
        Assert.Empty(_node.OurVeths());
        // A repeated DEL (runtimes retry) finds nothing and still succeeds.
        (await _node.Run("DEL", a, config)).EnsureSuccess();
    }

    // GC and STATUS pass on to an IPAM plugin that speaks CNI 1.1.0; host-local does not, so only
    // routednet-ipam shows that they do.
    [Fact]
    public async Task Gc_PassedOnToRoutedNetIpam_CollectedAttachmentsAddressReleased()
    {
        var keep = _node.NewPod();
        var drop = _node.NewPod();
        var config = CniConfigs.With(CniConfigs.With(_node.Config("1.1.0"), "datastore", Url), "nodeName", NodeName);
        config = CniConfigs.With(config, "ipam", new JsonObject { ["type"] = "routednet-ipam", ["gcGracePeriodSeconds"] = 0 });
        var kept = (await _node.Run("ADD", keep, config)).EnsureSuccess();
        (await _node.Run("ADD", drop, config)).EnsureSuccess();
        var gc = CniConfigs.With(config, "cni.dev/valid-attachments", new JsonArray(new JsonObject
        {
            ["containerID"] = keep.ContainerId,
            ["ifname"] = "eth0",
        }));

        (await _node.Exec(_node.Binary, "GC", gc.ToJsonString(), new Dictionary<string, string?>())).EnsureSuccess();

        Assert.Equal([kept.HostInterface], _node.OurVeths());
        var handles = (await _store.ListAsync<IPAMHandle>()).Items;
        Assert.Contains(handles, h => h.Name.Contains(keep.ContainerId, StringComparison.Ordinal));
        Assert.DoesNotContain(handles, h => h.Name.Contains(drop.ContainerId, StringComparison.Ordinal));
        Assert.Equal(1, (await new IpamClient(_store).CheckAsync()).Allocations);
    }

    [Fact]
    public async Task Status_PassedOnToRoutedNetIpam_StoreUnreachableIsCode50()
    {
        var config = CniConfigs.With(CniConfigs.With(_node.Config("1.1.0"), "datastore", "etcd://127.0.0.1:1"), "nodeName", NodeName);
        config = CniConfigs.With(config, "ipam", new JsonObject { ["type"] = "routednet-ipam" });

        var status = await _node.Exec(_node.Binary, "STATUS", config.ToJsonString(), new Dictionary<string, string?>());

        Assert.Equal(50, status.ErrorCode);
    }

    [Fact]
    public async Task Add_EndpointStoreUnreachable_FailsAndRollsBackWiringAndAddress()
    {
        var pod = _node.NewPod();
        var config = CniConfigs.With(_node.Config(), "datastore", "etcd://127.0.0.1:1");

        var add = await _node.Run("ADD", pod, config);

        Assert.False(add.Succeeded, add.Stdout);
        Assert.Equal(11, add.ErrorCode);
        Assert.Empty(_node.OurVeths());
        Assert.Equal(0, _node.AllocatedCount());
        Assert.Empty(Directory.Exists(_node.RecordsDir) ? Directory.GetFiles(_node.RecordsDir, "*", SearchOption.AllDirectories) : []);
    }
}
