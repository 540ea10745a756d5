using System.Text;
using YamlDotNet.Serialization;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes;
using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.Chart;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// Least privilege, proven on the stand-in's RBAC: with the chart's rules (the rendered golden)
/// the agent runs without one refusal (AgentOnKubernetesTests); with any one rule taken away, it
/// meets a 403 naming what that rule grants, so no rule is there for nothing.
/// </summary>
public sealed class ChartRbacLeastPrivilegeTests
{
    private const string Namespace = ChartRbac.ReleaseNamespace;
    private const string ServiceAccount = "routednet-node";

    // Granted for install-cni's uninstall detection (GET of its own DaemonSet on SIGTERM), which
    // this agent does not do yet: not provable until that lands.
    private static readonly string[] NotYetUsed = ["daemonsets"];

    /// <summary>Every rule of the golden RBAC: the role's kind, the rule's index, its resources.</summary>
    public static TheoryData<string, int, string> Rules()
    {
        var rules = new TheoryData<string, int, string>();
        foreach (var document in Documents())
        {
            if ((string)document["kind"] is "ClusterRole" or "Role")
            {
                var list = (List<object>)document["rules"];
                for (var i = 0; i < list.Count; i++)
                {
                    var resources = ((List<object>)((Dictionary<object, object>)list[i])["resources"]).Cast<string>().ToList();
                    if (!resources.Any(NotYetUsed.Contains))
                    {
                        rules.Add((string)document["kind"], i, string.Join(",", resources));
                    }
                }
            }
        }
        return rules;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Agent_OneRuleOfTheChartsRbacRemoved_RefusedWith403NamingIt(string kind, int index, string resources)
    {
        using var api = await KubeApiServerProcess.StartAsync();
        await api.CreateCrdsAsync();
        using var admin = KubeAdmin.FromKubeconfig(api.KubeconfigPath);
        var dir = Directory.CreateTempSubdirectory("rnt-rbac-").FullName;
        NodeAgentScope? agent = null;
        NamespaceForwarder? forwarder = null;
        try
        {
            await admin.CreateAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{Namespace}}}"}}""");
            var manifest = Path.Combine(dir, "rbac.yaml");
            File.WriteAllText(manifest, WithoutRule(kind, index));
            await admin.ApplyManifestAsync(manifest);
            var token = await admin.RequestTokenAsync(Namespace, ServiceAccount);
            var kubeconfig = Path.Combine(dir, "agent.kubeconfig");
            admin.WriteKubeconfig(kubeconfig, token, $"system:serviceaccount:{Namespace}:{ServiceAccount}");

            // Everything the agent has a use for exists: a Node, a pool, a peer keyed from the Secret, a Pod.
            await admin.SendAsync(HttpMethod.Post, "/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"status":{"addresses":[{"type":"InternalIP","address":"172.18.0.2"}]}}""");
            await admin.MergePatchAsync("/api/v1/nodes/n1/status", """{"status":{"addresses":[{"type":"InternalIP","address":"172.18.0.2"}]}}""");
            await admin.SendAsync(HttpMethod.Post, "/apis/routednet.io/v1/ippools", """{"apiVersion":"routednet.io/v1","kind":"IPPool","metadata":{"name":"pods"},"spec":{"cidr":"10.244.0.0/16"}}""");
            await admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/secrets", $$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"tor-bgp"},"data":{"password":"{{{Convert.ToBase64String(Encoding.UTF8.GetBytes("k"))}}}"}}""");
            await admin.SendAsync(HttpMethod.Post, "/apis/routednet.io/v1/bgppeers", """{"apiVersion":"routednet.io/v1","kind":"BGPPeer","metadata":{"name":"tor"},"spec":{"peerIP":"172.18.0.1","asNumber":64500,"passwordSecretRef":{"name":"tor-bgp","key":"password"}}}""");
            await admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"i"}]}}""");

            await using var store = await KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse("kubernetes"), EtcdSecurity.None, api.KubeconfigPath, CancellationToken.None);
            agent = await NodeAgentScope.StartAsync(
                "n1",
                nodeIp: null,
                prepare: ns => forwarder = NamespaceForwarder.Start(ns, admin.Server.Port),
                datastore: "kubernetes",
                store: store,
                extraArgs: ["--kubeconfig", kubeconfig],
                waitReady: false,
                env: new Dictionary<string, string?> { ["POD_NAMESPACE"] = Namespace });

            var refused = resources.Split(',').Select(r => $"resource \"{r}\"").ToList();
            await Eventually.Until(
                () => agent.Agent.Log().Contains("forbidden", StringComparison.Ordinal) && refused.Any(r => agent.Agent.Log().Contains(r, StringComparison.Ordinal)),
                $"the agent to be refused ({kind} rule {index}: {resources}) with a 403 naming it");
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
            if (forwarder is not null)
            {
                await forwarder.DisposeAsync();
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<Dictionary<object, object>> Documents()
    {
        var deserializer = new DeserializerBuilder().Build();
        return KubeApiServerProcess.SplitYaml(File.ReadAllText(ChartRbac.GoldenPath))
            .Select(d => deserializer.Deserialize<Dictionary<object, object>>(d))
            .ToList();
    }

    // The golden manifest with rule <index> of the <kind> taken out.
    private static string WithoutRule(string kind, int index)
    {
        var serializer = new SerializerBuilder().Build();
        var documents = Documents();
        var rules = (List<object>)documents.Single(d => (string)d["kind"] == kind)["rules"];
        rules.RemoveAt(index);
        return string.Join("---\n", documents.Select(d => serializer.Serialize(d)));
    }
}
