using System.Net;
using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix.Kubernetes;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Kubernetes;
using RoutedNet.Kubernetes.Store;
using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.Chart;
using RoutedNet.Tests.TestKit.KubeApi;
using YamlDotNet.Serialization;

namespace RoutedNet.Integration.Install;

/// <summary>
/// `routednet-node cleanup --cluster`, the chart's post-delete hook, on the stand-in API server
/// as the hook's ServiceAccount with exactly the hook's RBAC (tests/TestKit/Chart/uninstall-rbac.golden.yaml):
/// with objects of every routednet.io kind and two Nodes annotated by RoutedNet, every object is
/// gone, every routednet.io annotation and label RoutedNet set is off the Nodes, the Nodes and
/// others' annotations and labels stay, the counts are printed per kind; a second run deletes
/// nothing and succeeds. With any one rule of the hook's ClusterRole taken away it exits 1 with a
/// 403 naming what that rule grants, so the role holds nothing it does not use.
/// </summary>
public sealed class ClusterCleanupTests : IAsyncLifetime
{
    private const string Namespace = ChartRbac.ReleaseNamespace;
    private const string ServiceAccount = ChartRbac.UninstallServiceAccount;

    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-cluster-cleanup-").FullName;
    private KubeApiServerProcess _api = null!;
    private KubeAdmin _admin = null!;
    private IStore _store = null!;

    public async Task InitializeAsync()
    {
        _api = await KubeApiServerProcess.StartAsync();
        await _api.CreateCrdsAsync();
        _admin = KubeAdmin.FromKubeconfig(_api.KubeconfigPath);
        _store = await KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse("kubernetes"), EtcdSecurity.None, _api.KubeconfigPath, CancellationToken.None);
        await _admin.CreateAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{Namespace}}}"}}""");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _admin.Dispose();
        _api.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ClusterCleanup_EveryKindAndAnnotatedNodes_AllGoneOthersKeptSecondRunNoOp()
    {
        await PopulateAsync();
        var kubeconfig = await HookKubeconfigAsync(File.ReadAllText(ChartRbac.UninstallGoldenPath));
        Assert.All(CrdKinds.ByKind.Values, kind => Assert.NotEmpty(ListNames(kind.Plural)));

        var first = await CleanupAsync(kubeconfig);

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Equal("", first.Stderr);
        foreach (var kind in CrdKinds.ByKind.Values)
        {
            Assert.Empty(ListNames(kind.Plural));
        }
        Assert.Contains("routednet-node cleanup --cluster: deleted 2 IPAMHandle\n", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("routednet-node cleanup --cluster: deleted 1 IPPool\n", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("routednet-node cleanup --cluster: deleted 1 BGPPeer\n", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("routednet-node cleanup --cluster: removed the routednet.io/ annotations from 2 Nodes\n", first.Stdout, StringComparison.Ordinal);
        foreach (var name in (string[])["n1", "n2"])
        {
            var node = await _admin.SendAsync(HttpMethod.Get, "/api/v1/nodes/" + name);
            var annotations = node.GetProperty("metadata").GetProperty("annotations").EnumerateObject().Select(a => a.Name).ToList();
            var labels = node.GetProperty("metadata").GetProperty("labels").EnumerateObject().Select(a => a.Name).ToList();
            Assert.DoesNotContain(annotations, a => a.StartsWith("routednet.io/", StringComparison.Ordinal));
            Assert.Contains("example.com/owner", annotations);
            Assert.DoesNotContain("rack", labels);
            Assert.Contains("kubernetes.io/hostname", labels);
        }

        var second = await CleanupAsync(kubeconfig);

        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.DoesNotContain(second.Stdout.Split('\n'), l => l.Contains("deleted ", StringComparison.Ordinal) && !l.Contains("deleted 0 ", StringComparison.Ordinal));
        Assert.Contains("from 0 Nodes", second.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Every rule of the hook's ClusterRole, by index and resources.</summary>
    public static TheoryData<int, string> Rules()
    {
        var rules = new TheoryData<int, string>();
        var list = (List<object>)Documents(File.ReadAllText(ChartRbac.UninstallGoldenPath)).Single(d => (string)d["kind"] == "ClusterRole")["rules"];
        for (var i = 0; i < list.Count; i++)
        {
            rules.Add(i, string.Join(",", ((List<object>)((Dictionary<object, object>)list[i])["resources"]).Cast<string>()));
        }
        return rules;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task ClusterCleanup_OneRuleOfTheHooksRbacRemoved_FailsWith403NamingIt(int index, string resources)
    {
        await PopulateAsync();
        var documents = Documents(File.ReadAllText(ChartRbac.UninstallGoldenPath));
        ((List<object>)documents.Single(d => (string)d["kind"] == "ClusterRole")["rules"]).RemoveAt(index);
        var kubeconfig = await HookKubeconfigAsync(string.Join("---\n", documents.Select(d => new SerializerBuilder().Build().Serialize(d))));

        var result = await CleanupAsync(kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("forbidden", result.Stderr, StringComparison.OrdinalIgnoreCase);
        var refused = resources.Split(',').Select(r => $"resource \"{r}\"").ToList();
        Assert.True(refused.Any(r => result.Stderr.Contains(r, StringComparison.Ordinal)), result.Stderr);
        Assert.All(result.Stderr.Trim().Split('\n'), line => Assert.StartsWith("routednet-node cleanup --cluster: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClusterCleanup_ApiServerUnreachable_OneLineExit1()
    {
        var kubeconfig = Path.Combine(_dir, "nowhere.kubeconfig");
        var nowhere = new TcpListenerPort();
        _admin.WriteKubeconfig(kubeconfig, "t", "nobody");
        File.WriteAllText(kubeconfig, File.ReadAllText(kubeconfig).Replace(_admin.Server.ToString().TrimEnd('/'), $"https://127.0.0.1:{nowhere.Port}", StringComparison.Ordinal));

        var result = await CleanupAsync(kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.All(result.Stderr.Trim().Split('\n'), line => Assert.StartsWith("routednet-node cleanup --cluster: ", line, StringComparison.Ordinal));
    }

    // Objects of every kind as agents and the chart leave them: a pool, the IPAM and BGP settings,
    // a peer, two nodes' blocks, affinities and handles; both core Nodes carry RoutedNet's Node
    // (annotations, a label it set) beside kubelet's label and someone else's annotation.
    private async Task PopulateAsync()
    {
        foreach (var name in (string[])["n1", "n2"])
        {
            await _admin.SendAsync(HttpMethod.Post, "/api/v1/nodes", $$$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{{name}}}}","labels":{"kubernetes.io/hostname":"{{{{name}}}}"},"annotations":{"example.com/owner":"ops"}}}""");
            await _store.CreateAsync(new Node
            {
                Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["rack"] = "r1" } },
                Spec = new NodeSpec { Addresses = ["172.18.0.2/16"], AsNumber = 64512 },
            });
        }
        await _store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.247.0.0/16", BlockSize = 26 } });
        await _store.CreateAsync(new IPAMConfig { Metadata = new ObjectMeta { Name = "default" }, Spec = new IPAMConfigSpec { StrictAffinity = false, MaxBlocksPerHost = 4 } });
        await _store.CreateAsync(new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { AsNumber = 64512 } });
        await _store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "tor" }, Spec = new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500 } });
        await _store.CreateAsync(new BGPFilter { Metadata = new ObjectMeta { Name = "tor-in" }, Spec = new BGPFilterSpec { ImportV4 = [new BGPFilterRule { Action = BGPFilterRule.ActionReject }] } });
        var ipam = new IpamClient(_store);
        await ipam.AllocateAsync(new AllocationRequest { HandleId = "pod-a", Node = "n1", IPv4Count = 1 });
        await ipam.AllocateAsync(new AllocationRequest { HandleId = "pod-b", Node = "n2", IPv4Count = 1 });
    }

    private async Task<string> HookKubeconfigAsync(string rbac)
    {
        var manifest = Path.Combine(_dir, "uninstall-rbac.yaml");
        File.WriteAllText(manifest, rbac);
        await _admin.ApplyManifestAsync(manifest);
        var token = await _admin.RequestTokenAsync(Namespace, ServiceAccount);
        var kubeconfig = Path.Combine(_dir, "hook.kubeconfig");
        _admin.WriteKubeconfig(kubeconfig, token, $"system:serviceaccount:{Namespace}:{ServiceAccount}");
        return kubeconfig;
    }

    private static Task<ProcessResult> CleanupAsync(string kubeconfig) =>
        Proc.RunAsync(RepoPaths.Binary("routednet-node"), ["cleanup", "--cluster", "--kubeconfig", kubeconfig], null, null);

    private List<string> ListNames(string plural)
    {
        var list = _admin.SendAsync(HttpMethod.Get, $"/apis/routednet.io/v1/{plural}").GetAwaiter().GetResult();
        return list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToList();
    }

    private static List<Dictionary<object, object>> Documents(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        return KubeApiServerProcess.SplitYaml(yaml).Select(d => deserializer.Deserialize<Dictionary<object, object>>(d)).ToList();
    }

    /// <summary>A loopback port nobody listens on (bound, then released).</summary>
    private sealed class TcpListenerPort
    {
        public TcpListenerPort()
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        public int Port { get; }
    }
}
