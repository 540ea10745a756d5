using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Kubernetes;
using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.Chart;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// `routednet-node --datastore kubernetes` on the stand-in API server, as the chart will run it:
/// the CRDs and the chart's RBAC (as `helm template` renders it: tests/TestKit/Chart/rbac.golden.yaml) applied, a TokenRequest token of the
/// ServiceAccount kube-system/routednet-node in the agent's kubeconfig, core Nodes and Pods made as
/// kubelet makes them, two agents in two namespaces meshing over BGP, and pods wired by the real
/// CNI plugin, which asks its agent (no credentials of its own). The API server is reached from each
/// node's namespace through a forwarder on 127.0.0.1 there.
/// </summary>
public sealed partial class AgentOnKubernetesTests : IAsyncLifetime
{
    private const string ServiceAccountNamespace = "kube-system";
    private const string ServiceAccount = "routednet-node";
    private const string PodNamespace = "shop";

    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-agent-k8s-").FullName;
    private readonly List<NamespaceForwarder> _forwarders = [];
    private readonly List<NetNs> _pods = [];
    private KubeApiServerProcess _api = null!;
    private KubeAdmin _admin = null!;
    private IStore _store = null!;
    private string _token = "";
    private string _kubeconfig = "";
    private NodeAgentScope _n1 = null!;
    private NodeAgentScope _n2 = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await SetUpAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose initialisation failed: nothing may be left running.
            await DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync()
    {
        _api = await KubeApiServerProcess.StartAsync();
        await _api.CreateCrdsAsync();
        _admin = KubeAdmin.FromKubeconfig(_api.KubeconfigPath);
        _store = await KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse("kubernetes"), EtcdSecurity.None, _api.KubeconfigPath, CancellationToken.None);

        // What the chart installs, then the agent's own credentials as its pod would get them.
        await _admin.CreateAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ServiceAccountNamespace}}}"}}""");
        await _admin.ApplyManifestAsync(ChartRbac.GoldenPath);
        _token = await _admin.RequestTokenAsync(ServiceAccountNamespace, ServiceAccount);
        _kubeconfig = Path.Combine(_dir, "routednet-node.kubeconfig");
        _admin.WriteKubeconfig(_kubeconfig, _token, $"system:serviceaccount:{ServiceAccountNamespace}:{ServiceAccount}");

        // An operator's pool; the namespace the pods run in, with a label policy would select on.
        await _store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.244.0.0/16", BlockSize = 26 } });
        await _admin.CreateAsync("/api/v1/namespaces", $$$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{{PodNamespace}}}}","labels":{"team":"web"}}}""");

        // kubelet registers its Node (with its InternalIP) before anything runs there.
        await RegisterCoreNodeAsync("n1", "172.18.0.2");
        await RegisterCoreNodeAsync("n2", "172.18.0.3");
        _n1 = await StartAgentAsync("n1", null);
        _n2 = await StartAgentAsync("n2", ns => ns.Link("eth0", _n1.Ns, "eth0", "172.18.0.3/24", "172.18.0.2/24"));
    }

    public async Task DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }
        _pods.Clear();
        if (_n2 is not null)
        {
            await _n2.DisposeAsync();
            _n2 = null!;
        }
        if (_n1 is not null)
        {
            await _n1.DisposeAsync();
            _n1 = null!;
        }
        foreach (var forwarder in _forwarders)
        {
            await forwarder.DisposeAsync();
        }
        _forwarders.Clear();
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null!;
        }
        _admin?.Dispose();
        _api?.Dispose();
        _api = null!;
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task RegisterCoreNodeAsync(string name, string internalIp)
    {
        var node = $$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/hostname":"{{{name}}}","kubernetes.io/os":"linux"}},
             "status":{"addresses":[{"type":"InternalIP","address":"{{{internalIp}}}"},{"type":"Hostname","address":"{{{name}}}"}]}}
            """;
        await _admin.SendAsync(HttpMethod.Post, "/api/v1/nodes", node);
        // kubelet keeps its status up to date through nodes/status; a create may have dropped it.
        await _admin.MergePatchAsync($"/api/v1/nodes/{name}/status", $$$"""
            {"status":{"addresses":[{"type":"InternalIP","address":"{{{internalIp}}}"},{"type":"Hostname","address":"{{{name}}}"}],
             "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"},{"type":"NetworkUnavailable","status":"True","reason":"NoRouteCreated"}]}}
            """);
    }

    // No --node-ip: the address is the core Node's InternalIP, the default with this datastore.
    private Task<NodeAgentScope> StartAgentAsync(string name, Action<NetNs>? link, bool waitReady = true) =>
        NodeAgentScope.StartAsync(
            name,
            nodeIp: null,
            prepare: ns =>
            {
                _forwarders.Add(NamespaceForwarder.Start(ns, _admin.Server.Port));
                link?.Invoke(ns);
            },
            datastore: "kubernetes",
            store: _store,
            extraArgs: ["--kubeconfig", _kubeconfig],
            waitReady: waitReady,
            env: new Dictionary<string, string?> { ["POD_NAMESPACE"] = ServiceAccountNamespace });

    /// <summary>A Pod as the scheduler leaves it (spec.nodeName set) and kubelet reports it.</summary>
    private async Task CreatePodAsync(string name, string node, Dictionary<string, string> labels)
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = PodNamespace, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
            ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/app:1" }) },
        };
        await _admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{PodNamespace}/pods", pod.ToJsonString());
    }

    /// <summary>The runtime's CNI ADD/DEL for a pod: the real plugin in the node's namespace, asking its agent (it has no API credentials).</summary>
    private async Task<string> RunPluginAsync(NodeAgentScope node, string command, NetNs pod, string podName)
    {
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "k8s",
            ["type"] = "routednet",
            ["datastore"] = "kubernetes",
            ["agentSocket"] = node.ApiSocket,
            ["dataDir"] = node.CniDataDir,
            ["ipam"] = new JsonObject { ["type"] = "routednet-ipam" },
        };
        ProcessResult result;
        try
        {
            result = await RunCniAsync(node, config, command, pod, podName);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; agent log: {node.Agent.Log()}", e);
        }
        Assert.True(result.ExitCode == 0, $"CNI {command} {podName}: {result.Stdout} {result.Stderr}; agent log: {node.Agent.Log()}");
        return result.Stdout;
    }

    private static Task<ProcessResult> RunCniAsync(NodeAgentScope node, JsonObject config, string command, NetNs pod, string podName) =>
        Proc.RunAsync("ip", ["netns", "exec", node.Ns.Name, RepoPaths.Binary("routednet")], config.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = $"sandbox-{podName}",
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = RepoPaths.OutBin,
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={PodNamespace};K8S_POD_NAME={podName}",
        });

    /// <summary>Creates the Pod, wires it on its node, and reports its IP as kubelet does (pods/status).</summary>
    private async Task<string> StartPodAsync(NodeAgentScope node, string name, Dictionary<string, string> labels)
    {
        await CreatePodAsync(name, node.NodeName, labels);
        var netns = NetNs.Create();
        _pods.Add(netns);
        var added = await RunPluginAsync(node, "ADD", netns, name);
        var address = JsonDocument.Parse(added).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
        await _admin.MergePatchAsync($"/api/v1/namespaces/{PodNamespace}/pods/{name}/status", $$$"""{"status":{"phase":"Running","podIP":"{{{address}}}","podIPs":[{"ip":"{{{address}}}"}]}}""");
        return address;
    }

    private static bool HasRoute(NodeAgentScope node, string start) =>
        node.Routes().Any(r => r.StartsWith(start, StringComparison.Ordinal));

    private async Task<string> BlockOfAsync(string node)
    {
        var blocks = await _store.ListAsync<IPAMBlock>();
        return Assert.Single(blocks.Items, b => b.Spec.Affinity == $"host:{node}").Spec.Cidr;
    }

    [Fact]
    public async Task Agents_WithTheChartsRbac_AnnotateNodesClaimBlocksDeriveEndpointsAndRouteEachOther()
    {
        var a = await StartPodAsync(_n1, "web-0", new() { ["app"] = "web", ["tier"] = "front" });
        var b = await StartPodAsync(_n2, "api-0", new() { ["app"] = "api" });
        var block1 = await BlockOfAsync("n1");
        var block2 = await BlockOfAsync("n2");

        // Each agent's Node fields live in annotations on kubelet's Node: the address is its
        // InternalIP, with the prefix of the interface holding it (n2's eth0 was there at its start).
        var core = await _admin.SendAsync(HttpMethod.Get, "/api/v1/nodes/n2");
        Assert.Equal("172.18.0.3/24", core.GetProperty("metadata").GetProperty("annotations").GetProperty("routednet.io/addresses").GetString());

        // The pod's endpoint is derived from its Pod, its Namespace and the plugin's record.
        await Eventually.Until(async () => (await _n1.Api.ListWorkloadEndpointsAsync(new ListWorkloadEndpointsRequest())).Endpoints.Count == 1, "n1 to derive web-0's endpoint");
        var endpoint = Assert.Single((await _n1.Api.ListWorkloadEndpointsAsync(new ListWorkloadEndpointsRequest())).Endpoints);
        Assert.Equal((PodNamespace, "web-0", "sandbox-web-0", "k8s.sandbox-web-0.eth0"), (endpoint.Namespace, endpoint.Pod, endpoint.ContainerId, endpoint.Name));
        Assert.Equal([$"{a}/32"], endpoint.IpNetworks);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }, endpoint.Labels);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "web", ["kubernetes.io/metadata.name"] = PodNamespace }, endpoint.NamespaceLabels);

        // Own block blackholed, own pod routed to its veth, the other node's block via BGP.
        await Eventually.Until(() => HasRoute(_n1, $"blackhole {block1} proto 80"), $"n1 to blackhole its block {block1}");
        await Eventually.Until(() => HasRoute(_n1, $"{a} dev {endpoint.HostInterface} proto 80"), $"n1 to route its pod {a}");
        await Eventually.Until(() => HasRoute(_n1, $"{block2} via 172.18.0.3 dev eth0 proto 80"), $"n1 to learn n2's block {block2}");
        await Eventually.Until(() => HasRoute(_n2, $"{block1} via 172.18.0.2 dev eth0 proto 80"), $"n2 to learn n1's block {block1}");
        Assert.Contains(b, (await _n2.Api.ListWorkloadEndpointsAsync(new ListWorkloadEndpointsRequest())).Endpoints.SelectMany(e => e.IpNetworks).Select(n => n.Split('/')[0]));

        // The agent cleared NetworkUnavailable (as a cloud's node controller set it) and kept kubelet's conditions.
        await Eventually.Until(
            async () =>
            {
                var conditions = (await _admin.SendAsync(HttpMethod.Get, "/api/v1/nodes/n1")).GetProperty("status").GetProperty("conditions").EnumerateArray().ToList();
                return conditions.Any(c => c.GetProperty("type").GetString() == "NetworkUnavailable" && c.GetProperty("status").GetString() == "False" && c.GetProperty("reason").GetString() == "RoutedNetIsUp")
                    && conditions.Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
            },
            "n1 to set NetworkUnavailable=False (RoutedNetIsUp) beside kubelet's Ready");

        // The role was enough: both ready, and nothing the agents asked for was refused.
        foreach (var node in (NodeAgentScope[])[_n1, _n2])
        {
            Assert.True((await node.Api.GetNodeStatusAsync(new GetNodeStatusRequest())).Ready, $"{node.NodeName} not ready");
            // A refused request is logged with the API's reason, Forbidden (HTTP 403).
            Assert.DoesNotContain("forbidden", node.Agent.Log(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ServiceAccountToken_RequestsOutsideTheRole_Forbidden()
    {
        await CreatePodAsync("outside", "n1", new() { ["app"] = "x" });
        using var agent = _admin.As(_token);

        Assert.Equal(HttpStatusCode.OK, (await agent.TrySendAsync(HttpMethod.Get, $"/api/v1/namespaces/{PodNamespace}/pods?fieldSelector=spec.nodeName%3Dn1")).Status);
        // No pods/status (kubelet reports pod IPs), no tokens for anyone, never a Node deleted or a pool written.
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{PodNamespace}/pods/outside/status", """{"status":{"podIP":"10.0.0.1"}}""", "application/merge-patch+json")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ServiceAccountNamespace}/serviceaccounts/{ServiceAccount}/token", """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Delete, "/api/v1/nodes/n2")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Delete, "/apis/routednet.io/v1/ippools/pods")).Status);
    }

    private async Task<bool> HasEndpointAsync(NodeAgentScope node, string pod) =>
        (await node.Api.ListWorkloadEndpointsAsync(new ListWorkloadEndpointsRequest())).Endpoints.Any(e => e.Pod == pod);

    /// <summary>
    /// A Pod deleted as usual terminates first (deletionTimestamp, its containers still running):
    /// its endpoint stays; the runtime's DEL unwires it (route, address, endpoint go), then kubelet
    /// removes the Pod.
    /// </summary>
    [Fact]
    public async Task Pod_DeletedGracefully_EndpointKeptWhileTerminatingGoneWithDel()
    {
        var address = await StartPodAsync(_n1, "gone-0", new() { ["app"] = "gone" });
        var netns = _pods[^1];
        await Eventually.Until(() => HasEndpointAsync(_n1, "gone-0"), "n1 to derive gone-0's endpoint");

        await _admin.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{PodNamespace}/pods/gone-0");
        // A Pod created after the delete: once n1 has its endpoint, it has also seen gone-0 terminating (one watch, in order).
        await StartPodAsync(_n1, "marker-0", new() { ["app"] = "marker" });
        await Eventually.Until(() => HasEndpointAsync(_n1, "marker-0"), "n1 to derive marker-0's endpoint");
        Assert.True(await HasEndpointAsync(_n1, "gone-0"), "the endpoint of a terminating pod, still wired, was dropped");

        await RunPluginAsync(_n1, "DEL", netns, "gone-0");
        await _admin.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{PodNamespace}/pods/gone-0?gracePeriodSeconds=0");

        await Eventually.Until(async () => !HasRoute(_n1, $"{address} dev rn") && !await HasEndpointAsync(_n1, "gone-0"), $"the route to {address} and the endpoint to go with DEL");
        var handles = await _store.ListAsync<IPAMHandle>();
        Assert.DoesNotContain(handles.Items, h => h.Name.Contains("gone-0", StringComparison.Ordinal));
    }

    /// <summary>A force-deleted Pod (gracePeriodSeconds=0) leaves the API at once: its endpoint goes, its route stays until the runtime's DEL.</summary>
    [Fact]
    public async Task Pod_ForceDeleted_EndpointGoesRouteStaysUntilDel()
    {
        var address = await StartPodAsync(_n1, "forced-0", new() { ["app"] = "forced" });
        var netns = _pods[^1];
        await Eventually.Until(() => HasEndpointAsync(_n1, "forced-0"), "n1 to derive forced-0's endpoint");

        await _admin.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{PodNamespace}/pods/forced-0?gracePeriodSeconds=0");

        await Eventually.Until(async () => !await HasEndpointAsync(_n1, "forced-0"), "n1 to drop the endpoint of the deleted Pod");
        Assert.True(HasRoute(_n1, $"{address} dev rn"), string.Join('\n', _n1.Routes()));

        await RunPluginAsync(_n1, "DEL", netns, "forced-0");

        await Eventually.Until(() => !HasRoute(_n1, $"{address} dev rn"), $"the route to {address} to go with DEL");
    }

    /// <summary>
    /// The API server's watch history is compacted away under the agent's watches (in-stream 410):
    /// the agent lists again and keeps up, with a new pod and a relabelled one (labels and namespace
    /// labels changed later reach the endpoint too).
    /// </summary>
    [Fact]
    public async Task PodsAndNamespaces_WatchHistoryCompacted_AgentRelistsAndFollowsLabelChanges()
    {
        await StartPodAsync(_n1, "web-0", new() { ["app"] = "web" });
        await Eventually.Until(() => HasEndpointAsync(_n1, "web-0"), "n1 to derive web-0's endpoint");

        await _api.CompactAsync();
        await StartPodAsync(_n1, "web-1", new() { ["app"] = "web" });
        await _admin.MergePatchAsync($"/api/v1/namespaces/{PodNamespace}/pods/web-0", """{"metadata":{"labels":{"app":"web","canary":"true"}}}""");
        await _admin.MergePatchAsync($"/api/v1/namespaces/{PodNamespace}", """{"metadata":{"labels":{"team":"payments"}}}""");

        await Eventually.Until(
            async () =>
            {
                var endpoints = (await _n1.Api.ListWorkloadEndpointsAsync(new ListWorkloadEndpointsRequest())).Endpoints;
                var web0 = endpoints.SingleOrDefault(e => e.Pod == "web-0");
                return endpoints.Any(e => e.Pod == "web-1")
                    && web0 is not null && web0.Labels.GetValueOrDefault("canary") == "true" && web0.NamespaceLabels.GetValueOrDefault("team") == "payments";
            },
            "n1 to relist after the compaction and follow the new pod and both label changes");
        // History gone is a relist, not a failure: nothing about it in the log.
        Assert.DoesNotContain("Datastore: Pod:", _n1.Agent.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("Datastore: Namespace:", _n1.Agent.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_CoreNodeNotRegisteredYet_SaysSoInOneLineWaitsAndStartsOnceItIs()
    {
        await using var n3 = await StartAgentAsync("n3", null, waitReady: false);

        await Eventually.Until(() => n3.Agent.Log().Contains("core Node \"n3\" not found", StringComparison.Ordinal), "n3 to say its core Node is missing");
        Assert.False(n3.Agent.HasExited, n3.Agent.Log());
        Assert.DoesNotContain("   at ", n3.Agent.Log(), StringComparison.Ordinal);

        await RegisterCoreNodeAsync("n3", "172.18.0.4");

        await n3.WaitReadyAsync();
        var core = await _admin.SendAsync(HttpMethod.Get, "/api/v1/nodes/n3");
        Assert.Equal("172.18.0.4/32", core.GetProperty("metadata").GetProperty("annotations").GetProperty("routednet.io/addresses").GetString());
    }
}
