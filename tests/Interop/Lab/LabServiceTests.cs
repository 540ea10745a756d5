using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// Services announced over BGP (issue 17) with a real router as the ToR: BGPConfiguration's service
/// ranges from every eligible node (ECMP in the router's RIB and, where it installs routes, in its
/// kernel FIB) and blackholed on each node; an externalTrafficPolicy Local VIP only from the nodes
/// with a ready endpoint, following readiness, endpoint moves, the exclude label and allow-list
/// changes. The Service is written with `lab add-service` and changed with `routednetctl apply`.
/// </summary>
public abstract partial class LabServiceTests(LabFixture lab, ITestOutputHelper output)
{
    internal const string LbRange = "198.51.100.0/24";
    internal const string ClusterRange = "10.96.0.0/16";
    internal const string Vip = "198.51.100.10";
    private const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    [Fact]
    public async Task LocalVip_NextHopsFollowReadinessMovesExcludeLabelAndAllowList()
    {
        var state = await lab.Cli.StatusAsync();
        var datastore = DatastoreOf(state.Nodes[0]);
        var router = TorRouter.Find(state.Nodes[0]);
        var address = state.Nodes.ToDictionary(n => n.Name, n => n.Address.Split('/')[0]);
        var (n1, n2, n3) = (state.Nodes[0].Name, state.Nodes[1].Name, state.Nodes[2].Name);
        var pod1 = state.PodsOn(n1).First();
        var pod2 = state.PodsOn(n2).First();
        var pod3 = state.PodsOn(n3).First();
        await SetServiceRangesAsync(datastore, [ClusterRange], [LbRange]);
        await lab.Cli.LabAsync("add-service", "web", "--type", "LoadBalancer", "--external-traffic-policy", "Local", "--ip", Vip, "--endpoints", $"{pod1.Name},{pod2.Name}");
        try
        {
            // Every node announces the ranges and blackholes them.
            await ExpectNextHopsAsync(router, LbRange, address.Values);
            await ExpectNextHopsAsync(router, ClusterRange, address.Values);
            foreach (var node in state.Nodes)
            {
                Assert.Contains(LbRange.Split('/')[0], Proc.Check("ip", "-n", node.Namespace, "route", "show", "type", "blackhole").Stdout, StringComparison.Ordinal);
            }

            // The Local VIP: only the two nodes with a ready endpoint.
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n1], address[n2]]);

            // Each node says why it announces the VIP, or that it does not.
            Assert.Contains($"ready endpoint {pod1.Ip} on this node", await AdvertisedReasonsAsync(state.Nodes[0], Vip + "/32"), StringComparison.Ordinal);
            Assert.Equal("", await AdvertisedReasonsAsync(state.Nodes[2], Vip + "/32"));
            Assert.Contains("serviceLoadBalancerIPs range", await AdvertisedReasonsAsync(state.Nodes[2], LbRange), StringComparison.Ordinal);

            // node1's endpoint stops being ready (terminating): withdrawn there before the pod goes.
            await ApplyServiceAsync(datastore, (pod1, false), (pod2, true));
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n2]]);

            // The endpoint moves from node2 to node3.
            await ApplyServiceAsync(datastore, (pod3, true));
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n3]]);
            await ApplyServiceAsync(datastore, (pod2, true), (pod3, true));
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n2], address[n3]]);

            // node3 labelled out of external load balancing: it announces neither the VIP nor the LB range; the cluster range stays.
            await CtlAsync(datastore, "label", "node", n3, $"{ExcludeLabel}=true");
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n2]]);
            await ExpectNextHopsAsync(router, LbRange, [address[n1], address[n2]]);
            await ExpectNextHopsAsync(router, ClusterRange, address.Values);
            await CtlAsync(datastore, "label", "node", n3, $"{ExcludeLabel}-");
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n2], address[n3]]);

            // The allow-list shrinks: the LB range, the VIP inside it and the blackholes go.
            await SetServiceRangesAsync(datastore, [ClusterRange], []);
            await ExpectNextHopsAsync(router, Vip + "/32", []);
            await ExpectNextHopsAsync(router, LbRange, []);
            foreach (var node in state.Nodes)
            {
                await Eventually.Until(
                    () => !Proc.Check("ip", "-n", node.Namespace, "route", "show", "type", "blackhole").Stdout.Contains(LbRange.Split('/')[0], StringComparison.Ordinal),
                    $"{node.Name} to remove its blackhole for {LbRange}");
            }
            await SetServiceRangesAsync(datastore, [ClusterRange], [LbRange]);
            await ExpectNextHopsAsync(router, Vip + "/32", [address[n2], address[n3]]);
        }
        finally
        {
            await lab.Cli.LabAsync("del-service", "web");
            await SetServiceRangesAsync(datastore, [], []);
        }
        await ExpectNextHopsAsync(router, Vip + "/32", []);
        await ExpectNextHopsAsync(router, ClusterRange, []);
    }

    /// <summary>
    /// The router's RIB holds exactly these next hops for the prefix, and where it installs routes
    /// (BIRD, FRR) its kernel FIB too: ECMP over the announcing nodes.
    /// </summary>
    private Task ExpectNextHopsAsync(TorRouter router, string prefix, IEnumerable<string> expected) => ExpectNextHopsAsync(router, prefix, expected, output);

    internal static async Task ExpectNextHopsAsync(TorRouter router, string prefix, IEnumerable<string> expected, ITestOutputHelper output)
    {
        var want = expected.Order(StringComparer.Ordinal).ToList();
        // Each CLI fails for a prefix it does not hold: "none" is asked as such.
        await Eventually.Until(
            () => want.Count == 0 ? !router.Has(prefix) : router.NextHops(prefix).Order(StringComparer.Ordinal).SequenceEqual(want),
            $"{router} to hold {prefix} via [{string.Join(", ", want)}]");
        if (router.Forwards)
        {
            await Eventually.Until(() => KernelNextHops(router.Namespace, prefix).SequenceEqual(want), $"{router.Namespace}'s kernel to route {prefix} via [{string.Join(", ", want)}]");
        }
        output.WriteLine($"{prefix}: [{string.Join(", ", want)}]");
    }

    internal static List<string> KernelNextHops(string ns, string prefix)
    {
        var text = Proc.Check("ip", "-n", ns, "-4", "route", "show", "exact", prefix).Stdout;
        return Via().Matches(text).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex(@"via (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex Via();

    /// <summary>`routednetctl bgp advertised --prefix P -o json` on the node: its reasons, one a line ("" when it does not announce it).</summary>
    private static async Task<string> AdvertisedReasonsAsync(LabNode node, string prefix)
    {
        using var json = System.Text.Json.JsonDocument.Parse(await LabCli.CheckAsync("bgp", "advertised", "--node-socket", node.ApiSocket, "--prefix", prefix, "-o", "json"));
        return string.Join('\n', json.RootElement.GetProperty("advertised").EnumerateArray().SelectMany(a => a.GetProperty("reasons").EnumerateArray()).Select(r => r.GetString()));
    }

    /// <summary>The Service as `lab add-service` wrote it, with these endpoints (pod, ready) instead.</summary>
    internal static Task ApplyServiceAsync(string datastore, params (LabPod Pod, bool Ready)[] endpoints)
    {
        var service = new JsonObject
        {
            ["apiVersion"] = "routednet.io/v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "lab" },
            ["spec"] = new JsonObject { ["type"] = "LoadBalancer", ["externalTrafficPolicy"] = "Local" },
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = Vip }) } },
            ["endpoints"] = new JsonArray([.. endpoints.Select(e => (JsonNode)new JsonObject
            {
                ["addresses"] = new JsonArray([.. e.Pod.Addresses.Select(a => (JsonNode)JsonValue.Create(a.ToString()))]),
                ["nodeName"] = e.Pod.Node,
                ["conditions"] = new JsonObject { ["ready"] = e.Ready, ["terminating"] = !e.Ready },
            })]),
        };
        return ApplyAsync(datastore, service);
    }

    /// <summary>BGPConfiguration "default" with these service lists (Calico's shape), keeping what else the lab set.</summary>
    internal static async Task SetServiceRangesAsync(string datastore, string[] clusterIPs, string[] loadBalancerIPs)
    {
        var config = JsonNode.Parse((await CtlCheckAsync(datastore, "get", "bgpconfiguration", "default", "-o", "json")))!.AsObject();
        var spec = config["spec"]!.AsObject();
        spec["serviceClusterIPs"] = new JsonArray([.. clusterIPs.Select(c => (JsonNode)new JsonObject { ["cidr"] = c })]);
        spec["serviceLoadBalancerIPs"] = new JsonArray([.. loadBalancerIPs.Select(c => (JsonNode)new JsonObject { ["cidr"] = c })]);
        await ApplyAsync(datastore, config);
    }

    internal static async Task ApplyAsync(string datastore, JsonObject document) =>
        (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["--datastore", datastore, "apply", "-f", "-"], stdin: document.ToJsonString())).EnsureSuccess();

    private static async Task CtlAsync(string datastore, params string[] args) => await CtlCheckAsync(datastore, args);

    internal static async Task<string> CtlCheckAsync(string datastore, params string[] args) =>
        await LabCli.CheckAsync(["--datastore", datastore, .. args]);

    /// <summary>The lab's datastore, as its agent was started with it (`--datastore` is the agent's contract flag).</summary>
    internal static string DatastoreOf(LabNode node)
    {
        var argv = File.ReadAllText($"/proc/{node.AgentPid}/cmdline").Split('\0');
        var i = Array.IndexOf(argv, "--datastore");
        return i >= 0 ? argv[i + 1] : throw new InvalidOperationException($"{node.Name}'s agent has no --datastore: {string.Join(' ', argv)}");
    }
}

[Collection(LabCollection.Name)]
public sealed class LabServiceBirdTests(BirdLabFixture lab, ITestOutputHelper output) : LabServiceTests(lab, output), IClassFixture<BirdLabFixture>
{
    [Fact]
    public Task LocalVip_TrafficFromTheRouter_ReachesOnlyNodesWithEndpoints() => TrafficFromTheRouter_ReachesOnlyNodesWithEndpointsAsync();
}

[Collection(LabCollection.Name)]
public sealed class LabServiceFrrTests(FrrLabFixture lab, ITestOutputHelper output) : LabServiceTests(lab, output), IClassFixture<FrrLabFixture>
{
    [Fact]
    public Task LocalVip_TrafficFromTheRouter_ReachesOnlyNodesWithEndpoints() => TrafficFromTheRouter_ReachesOnlyNodesWithEndpointsAsync();
}

/// <summary>GoBGP installs nothing in the kernel: its RIB is what is checked.</summary>
[Collection(LabCollection.Name)]
public sealed class LabServiceGoBgpTests(GoBgpLabFixture lab, ITestOutputHelper output) : LabServiceTests(lab, output), IClassFixture<GoBgpLabFixture>;

/// <summary>Every agent with `--bgp-backend gobgp` (its own gobgpd originates the Service prefixes); BIRD as the router.</summary>
[Collection(LabCollection.Name)]
public sealed class LabServiceGoBgpBackendTests(GoBgpBackendLabFixture lab, ITestOutputHelper output) : LabServiceTests(lab, output), IClassFixture<GoBgpBackendLabFixture>;
