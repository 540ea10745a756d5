using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix;
using RoutedNet.Integration.Felix.Kubernetes;
using RoutedNet.Kubernetes;
using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.Chart;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.Install;

/// <summary>
/// `helm uninstall` as the node sees it, on the stand-in API server with the chart's RBAC: a node
/// whose binaries install-cni put into its bin dir, whose agent (ServiceAccount token, --pod-namespace)
/// wrote the conflist, annotated its Node, claimed a block and wired a pod through that conflist.
/// Its DaemonSet still there at SIGTERM (an upgrade): everything stays. Deleted, or being deleted
/// (a finalizer holds it: foreground deletion): the conflist, the binaries, every route of ours,
/// the Node's routednet.io annotations and the node's IPAM objects are gone after the agent exits,
/// and NetworkUnavailable is not set True. `routednet-node cleanup` does the same for an agent
/// killed without that SIGTERM, and refuses while an agent answers.
/// </summary>
public sealed class UninstallTests : IAsyncLifetime
{
    private const string SystemNamespace = "kube-system";
    private const string ServiceAccount = "routednet-node";
    private const string DaemonSetPath = "/apis/apps/v1/namespaces/kube-system/daemonsets/routednet-node";

    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-uninstall-").FullName;
    private KubeApiServerProcess _api = null!;
    private KubeAdmin _admin = null!;
    private IStore _store = null!;
    private NamespaceForwarder? _forwarder;
    private NodeAgentScope? _node;
    private NetNs? _pod;
    private string _kubeconfig = "";
    private string _token = "";

    private string ConfDir => Path.Combine(_dir, "net.d");

    private string BinDir => Path.Combine(_dir, "bin");

    private string Conflist => Path.Combine(ConfDir, "05-routednet.conflist");

    public async Task InitializeAsync()
    {
        try
        {
            await SetUpAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync()
    {
        Directory.CreateDirectory(ConfDir);
        Directory.CreateDirectory(BinDir);
        _api = await KubeApiServerProcess.StartAsync();
        await _api.CreateCrdsAsync();
        _admin = KubeAdmin.FromKubeconfig(_api.KubeconfigPath);
        _store = await KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse("kubernetes"), EtcdSecurity.None, _api.KubeconfigPath, CancellationToken.None);
        await _admin.CreateAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{SystemNamespace}}}"}}""");
        // The chart's RBAC as helm renders it (the DaemonSet get is in its namespaced Role).
        await _admin.ApplyManifestAsync(ChartRbac.GoldenPath);
        _token = await _admin.RequestTokenAsync(SystemNamespace, ServiceAccount);
        _kubeconfig = Path.Combine(_dir, "routednet-node.kubeconfig");
        _admin.WriteKubeconfig(_kubeconfig, _token, $"system:serviceaccount:{SystemNamespace}:{ServiceAccount}");
        await _store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.247.0.0/16", BlockSize = 26 } });
        await _admin.SendAsync(HttpMethod.Post, "/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""");
        await _admin.MergePatchAsync("/api/v1/nodes/n1/status", """
            {"status":{"addresses":[{"type":"InternalIP","address":"172.18.0.2"}],
             "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"},{"type":"NetworkUnavailable","status":"True","reason":"NoRouteCreated"}]}}
            """);
        await CreateDaemonSetAsync(finalizer: false);

        // The init container, then the agent as the DaemonSet's container runs it.
        var install = await Proc.RunAsync(RepoPaths.Binary("routednet-node"), ["install-cni", "--cni-source-dir", RepoPaths.OutBin, "--cni-bin-dir", BinDir], null, null);
        Assert.True(install.ExitCode == 0, install.Stderr);
        _node = await NodeAgentScope.StartAsync(
            "n1",
            nodeIp: null,
            prepare: ns =>
            {
                _forwarder = NamespaceForwarder.Start(ns, _admin.Server.Port);
                ns.Check("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
                ns.Check("ip", "link", "set", "eth0p", "up");
                ns.Check("ip", "addr", "add", "172.18.0.2/24", "dev", "eth0");
                ns.Check("ip", "link", "set", "eth0", "up");
            },
            datastore: "kubernetes",
            store: _store,
            extraArgs: ["--kubeconfig", _kubeconfig, "--cni-conf-dir", ConfDir, "--cni-bin-dir", BinDir, "--pod-namespace", SystemNamespace]);
        await Eventually.Until(() => _node.Agent.Log().Contains("Uninstall detection on", StringComparison.Ordinal), $"the agent to find its DaemonSet (log: {_node.Agent.LogPath})");

        // A pod wired through the conflist and the installed binaries, as the runtime does.
        _pod = NetNs.Create();
        var list = JsonNode.Parse(File.ReadAllText(Conflist))!.AsObject();
        var plugin = list["plugins"]![0]!.DeepClone().AsObject();
        plugin["cniVersion"] = list["cniVersion"]!.DeepClone();
        plugin["name"] = list["name"]!.DeepClone();
        await _admin.CreateAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""");
        await _admin.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"shop"},"spec":{"nodeName":"n1","containers":[{"name":"app","image":"registry.example/app:1"}]}}""");
        var add = await Proc.RunAsync("ip", ["netns", "exec", _node.Ns.Name, Path.Combine(BinDir, "routednet")], plugin.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "sandbox-web-0",
            ["CNI_NETNS"] = _pod.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = BinDir,
            ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0",
        });
        Assert.True(add.ExitCode == 0, $"{add.Stdout} {add.Stderr}; agent log: {_node.Agent.Log()}");
        var address = JsonDocument.Parse(add.Stdout).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
        await Eventually.Until(() => OurRoutes().Any(r => r.StartsWith(address + " dev ", StringComparison.Ordinal)) && OurRoutes().Any(r => r.StartsWith("blackhole ", StringComparison.Ordinal)), "the agent to route the pod and blackhole its block");
        await Eventually.Until(async () => NetworkUnavailable(await NodeAsync()) == "False", "the agent to clear NetworkUnavailable");
    }

    public async Task DisposeAsync()
    {
        _pod?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        _admin?.Dispose();
        _api?.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private Task CreateDaemonSetAsync(bool finalizer)
    {
        var daemonSet = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"routednet-node","namespace":"kube-system"},
             "spec":{"selector":{"matchLabels":{"app":"routednet-node"}},"template":{"metadata":{"labels":{"app":"routednet-node"}},
             "spec":{"containers":[{"name":"routednet-node","image":"routednet/routednet:test"}]}}}}
            """)!;
        if (finalizer)
        {
            daemonSet["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        }
        return _admin.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/kube-system/daemonsets", daemonSet.ToJsonString());
    }

    private string[] OurRoutes() =>
        [.. _node!.Ns.Check("ip", "-o", "route", "show", "table", "main", "proto", "80").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries),
         .. _node.Ns.Check("ip", "-o", "-6", "route", "show", "table", "main", "proto", "80").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private Task<JsonElement> NodeAsync() => _admin.SendAsync(HttpMethod.Get, "/api/v1/nodes/n1");

    private static string[] OurAnnotations(JsonElement node) =>
        node.GetProperty("metadata").TryGetProperty("annotations", out var annotations)
            ? [.. annotations.EnumerateObject().Select(a => a.Name).Where(n => n.StartsWith("routednet.io/", StringComparison.Ordinal))]
            : [];

    private static string? NetworkUnavailable(JsonElement node) =>
        node.GetProperty("status").GetProperty("conditions").EnumerateArray()
            .Where(c => c.GetProperty("type").GetString() == "NetworkUnavailable").Select(c => c.GetProperty("status").GetString()).SingleOrDefault();

    private async Task<(int Blocks, int Affinities, int Handles)> IpamObjectsAsync() =>
        ((await _store.ListAsync<IPAMBlock>()).Items.Count, (await _store.ListAsync<BlockAffinity>()).Items.Count, (await _store.ListAsync<IPAMHandle>()).Items.Count);

    private void StopAgent()
    {
        _node!.Agent.Signal(15);
        Assert.True(_node.Agent.WaitForExit(TimeSpan.FromSeconds(30)), $"the agent did not stop on SIGTERM (log: {_node.Agent.Log()})");
    }

    private async Task AssertNodeCleanAsync(string log)
    {
        Assert.False(File.Exists(Conflist), log);
        Assert.Empty(Directory.GetFileSystemEntries(BinDir));
        Assert.False(Directory.Exists(Path.Combine(_node!.CniDataDir, "routednet")), "the plugin's attachment records stayed");
        Assert.Empty(OurRoutes());
        var node = await NodeAsync();
        Assert.Empty(OurAnnotations(node));
        // Never set True: the node's other pods must not be cordoned by an uninstall.
        Assert.Equal("False", NetworkUnavailable(node));
        Assert.Equal((0, 0, 0), await IpamObjectsAsync());
    }

    [Fact]
    public async Task Sigterm_DaemonSetDeletedThenCredentialsRevoked_AsHelmUninstallDoes_NodeCleanedFromWhatTheWatchSaw()
    {
        // helm uninstall deletes the DaemonSet, then at once the RBAC and the ServiceAccount: by
        // SIGTERM the agent's token is refused (401), and the GET can no longer tell.
        await _admin.SendAsync(HttpMethod.Delete, DaemonSetPath);
        await Eventually.Until(() => _node!.Agent.Log().Contains("Uninstall detection on", StringComparison.Ordinal), "armed");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the watch's DELETED event on its way (there is no signal of it to wait for)
        await _admin.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{SystemNamespace}/serviceaccounts/{ServiceAccount}");

        StopAgent();

        var log = _node!.Agent.Log();
        Assert.Contains("its watch had seen it deleted, so this is an uninstall", log, StringComparison.Ordinal);
        Assert.False(File.Exists(Conflist), log);
        Assert.Empty(Directory.GetFileSystemEntries(BinDir));
        Assert.False(Directory.Exists(Path.Combine(_node!.CniDataDir, "routednet")), "the plugin's attachment records stayed");
        Assert.Empty(OurRoutes());
        // Refused with the credentials, and said so: the API-side objects stay.
        Assert.Equal((1, 1, 1), await IpamObjectsAsync());
    }

    [Fact]
    public async Task Sigterm_CredentialsRevokedWithTheDaemonSetStillThere_KeepsEverything()
    {
        // A token refused at the stop with nothing seen before it (an RBAC slip, a rotated key)
        // must never wipe a node: only a deletion the watch saw counts.
        await _admin.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{SystemNamespace}/serviceaccounts/{ServiceAccount}");

        StopAgent();

        Assert.True(File.Exists(Conflist));
        Assert.NotEmpty(OurRoutes());
        Assert.Contains("treating a stop as a restart", _node!.Agent.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_DaemonSetPresent_RestartKeepsConflistBinariesRoutesAnnotationsAndIpam()
    {
        var ipam = await IpamObjectsAsync();
        var routes = OurRoutes();
        Assert.Single(Directory.GetFiles(Path.Combine(_node!.CniDataDir, "routednet")));

        StopAgent();

        Assert.True(File.Exists(Conflist));
        Assert.Equal(["routednet", "routednet-ipam"], Directory.GetFiles(BinDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(routes, OurRoutes());
        Assert.Contains("routednet.io/uid", OurAnnotations(await NodeAsync()));
        Assert.Equal(ipam, await IpamObjectsAsync());
        Assert.Equal((1, 1, 1), ipam);
        Assert.Single(Directory.GetFiles(Path.Combine(_node!.CniDataDir, "routednet")));
        Assert.Contains("is still there: stopping for a restart", _node!.Agent.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// An agent that did not find its DaemonSet at start (a wrong --pod-namespace, or one deleted
    /// before the agent came up) never takes a stop for an uninstall: detection stays off.
    /// </summary>
    [Fact]
    public async Task Sigterm_DaemonSetAbsentSinceStart_DetectionOff_EverythingKept()
    {
        await _node!.KillAndRestartAsync(() => _admin.SendAsync(HttpMethod.Delete, DaemonSetPath));
        await Eventually.Until(() => _node.Agent.Log().Contains("not found at start: uninstall detection stays off", StringComparison.Ordinal), "the restarted agent to miss its DaemonSet");
        var ipam = await IpamObjectsAsync();

        StopAgent();

        Assert.True(File.Exists(Conflist));
        Assert.Equal(2, Directory.GetFiles(BinDir).Length);
        Assert.Contains("routednet.io/uid", OurAnnotations(await NodeAsync()));
        Assert.Equal((1, 1, 1), ipam);
        Assert.Equal(ipam, await IpamObjectsAsync());
        Assert.DoesNotContain("uninstall:", _node.Agent.Log(), StringComparison.Ordinal);
    }

    /// <summary>The chart's rule lets the agent read its own DaemonSet and nothing more of apps/daemonsets.</summary>
    [Fact]
    public async Task ServiceAccount_GetsItsOwnDaemonSetOnly()
    {
        await _admin.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/kube-system/daemonsets", """
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"other","namespace":"kube-system"},
             "spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}
            """);
        using var agent = _admin.As(_token);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await agent.TrySendAsync(HttpMethod.Get, DaemonSetPath)).Status);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/kube-system/daemonsets/other")).Status);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/kube-system/daemonsets")).Status);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await agent.TrySendAsync(HttpMethod.Delete, DaemonSetPath)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigterm_DaemonSetDeletedOrBeingDeleted_UninstallLeavesNothingOfOursOnTheNode(bool foreground)
    {
        if (foreground)
        {
            // A finalizer holds the object: DELETE sets its deletionTimestamp, as foreground deletion does.
            await _admin.SendAsync(HttpMethod.Delete, DaemonSetPath);
            await CreateDaemonSetAsync(finalizer: true);
        }
        await _admin.SendAsync(HttpMethod.Delete, DaemonSetPath);

        StopAgent();

        var log = _node!.Agent.Log();
        Assert.Contains(foreground ? "is being deleted: uninstalling" : "is gone: uninstalling", log, StringComparison.Ordinal);
        Assert.DoesNotContain("uninstall step failed", log, StringComparison.Ordinal);
        Assert.Contains("routednet-node: uninstall: released 1 IPAM handles of node n1", log, StringComparison.Ordinal);
        await AssertNodeCleanAsync(log);
    }

    [Fact]
    public async Task Cleanup_AgentRunning_Refused_AgentKilled_RemovesEverything()
    {
        string[] args =
        [
            "cleanup", "--datastore", "kubernetes", "--node-name", "n1", "--kubeconfig", _kubeconfig, "--api-socket", _node!.ApiSocket,
            "--cni-conf-dir", ConfDir, "--cni-bin-dir", BinDir, "--cni-data-dir", _node.CniDataDir,
        ];
        var refused = await Proc.RunAsync("ip", ["netns", "exec", _node.Ns.Name, RepoPaths.Binary("routednet-node"), .. args], null, null);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"routednet-node is running on this node (its API socket {_node.ApiSocket} answers)", refused.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Conflist));

        // kubectl delete ds --cascade=orphan, then the pod killed: no SIGTERM reached the agent.
        _node.Agent.Signal(9);
        Assert.True(_node.Agent.WaitForExit(TimeSpan.FromSeconds(10)));
        var cleanup = await Proc.RunAsync("ip", ["netns", "exec", _node.Ns.Name, RepoPaths.Binary("routednet-node"), .. args], null, null);

        Assert.True(cleanup.ExitCode == 0, cleanup.Stdout + cleanup.Stderr);
        Assert.Contains($"removed {Conflist}", cleanup.Stdout, StringComparison.Ordinal);
        await AssertNodeCleanAsync(cleanup.Stdout);
    }
}
