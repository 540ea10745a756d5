using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;
using static RoutedNet.Interop.Lab.LabServiceTests;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// Issue 17 "route reflectors reflect service routes, and keep every path (ADD-PATH)": the mesh
/// off, node 1 a route reflector for nodes 2 and 3, the router peering with node 1 alone (keeping
/// the nodes' next hops, Calico's nextHopMode Keep). A Local VIP with endpoints on nodes 2 and 3
/// reaches the router over the reflector with both paths (RFC 7911), so its kernel spreads the VIP
/// over both nodes (ECMP), follows a readiness change, and the reflector installs no route for it.
/// </summary>
public abstract class LabRouteReflectorTests(LabFixture lab, ITestOutputHelper output)
{
    private const string ClusterId = "10.0.0.1";

    [Fact]
    public async Task LocalVipBehindReflector_RouterGetsEveryNodePath()
    {
        var state = await lab.Cli.StatusAsync();
        var datastore = DatastoreOf(state.Nodes[0]);
        var router = TorRouter.Find(state.Nodes[0]);
        var address = state.Nodes.ToDictionary(n => n.Name, n => n.Address.Split('/')[0]);
        var (rr, n2, n3) = (state.Nodes[0].Name, state.Nodes[1].Name, state.Nodes[2].Name);
        var pod2 = state.PodsOn(n2).First();
        var pod3 = state.PodsOn(n3).First();

        var node = JsonNode.Parse(await CtlCheckAsync(datastore, "get", "node", rr, "-o", "json"))!.AsObject();
        node["spec"]!["routeReflectorClusterID"] = ClusterId;
        await ApplyAsync(datastore, node);
        foreach (var client in new[] { n2, n3 })
        {
            await ApplyAsync(datastore, Peer($"rr-to-{client}", rr, address[client], reflectorClient: true));
            await ApplyAsync(datastore, Peer($"{client}-to-rr", client, address[rr], reflectorClient: false));
        }
        var tor = JsonNode.Parse(await CtlCheckAsync(datastore, "get", "bgppeer", "tor", "-o", "json"))!.AsObject();
        tor["spec"]!["node"] = rr;
        tor["spec"]!["nextHopMode"] = "Keep";
        await ApplyAsync(datastore, tor);
        await SetServiceRangesAsync(datastore, [ClusterRange], [LbRange]);
        await lab.Cli.LabAsync("add-service", "web", "--type", "LoadBalancer", "--external-traffic-policy", "Local", "--ip", Vip, "--endpoints", $"{pod2.Name},{pod3.Name}");

        // Both clients' paths of the VIP through the one session with the reflector, and every node's range.
        await ExpectNextHopsAsync(router, Vip + "/32", [address[n2], address[n3]], output);
        await ExpectNextHopsAsync(router, LbRange, address.Values, output);

        // Reflected, not installed: the reflector routes no VIP traffic to another node.
        var rrNamespace = state.Node(rr).Namespace;
        Assert.Empty(KernelNextHops(rrNamespace, Vip + "/32"));

        // node3's endpoint stops being ready: only its path goes.
        await ApplyServiceAsync(datastore, (pod2, true), (pod3, false));
        await ExpectNextHopsAsync(router, Vip + "/32", [address[n2]], output);
        await ApplyServiceAsync(datastore, (pod2, true), (pod3, true));
        await ExpectNextHopsAsync(router, Vip + "/32", [address[n2], address[n3]], output);
        Assert.Empty(KernelNextHops(rrNamespace, Vip + "/32"));
    }

    private static JsonObject Peer(string name, string node, string peerIp, bool reflectorClient) => new()
    {
        ["apiVersion"] = "routednet.io/v1",
        ["kind"] = "BGPPeer",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["node"] = node,
            ["peerIP"] = peerIp,
            ["asNumber"] = 64512,
            ["routeReflectorClient"] = reflectorClient,
        },
    };
}

public sealed class BirdNoMeshLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "bird", "--no-mesh"];
}

public sealed class FrrNoMeshLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "frr", "--no-mesh"];
}

public sealed class GoBgpNoMeshLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "gobgp", "--no-mesh"];
}

[Collection(LabCollection.Name)]
public sealed class LabRouteReflectorBirdTests(BirdNoMeshLabFixture lab, ITestOutputHelper output) : LabRouteReflectorTests(lab, output), IClassFixture<BirdNoMeshLabFixture>;

[Collection(LabCollection.Name)]
public sealed class LabRouteReflectorFrrTests(FrrNoMeshLabFixture lab, ITestOutputHelper output) : LabRouteReflectorTests(lab, output), IClassFixture<FrrNoMeshLabFixture>;

[Collection(LabCollection.Name)]
public sealed class LabRouteReflectorGoBgpTests(GoBgpNoMeshLabFixture lab, ITestOutputHelper output) : LabRouteReflectorTests(lab, output), IClassFixture<GoBgpNoMeshLabFixture>;
