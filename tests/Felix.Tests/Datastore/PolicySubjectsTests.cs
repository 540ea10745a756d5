using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Felix.Tests.Reconcilers.Policy;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Tests.Datastore;

/// <summary>
/// The agent's policy snapshots are made change by change (persistent endpoint maps and a log of
/// the ids that changed): after every step of a random sequence of endpoint changes (pods with
/// two interfaces, label and address changes, removals, namespace labels) the snapshot holds
/// exactly the endpoints of the view, its log names exactly the ids that changed, and the table
/// calculated with the policy loop's cache (which reads that log, and renders each policy once) is
/// the table calculated from scratch.
/// </summary>
public sealed class PolicySubjectsTests
{
    private const string Node = "n1";

    private static WorkloadEndpoint Endpoint(string ns, string pod, string iface, string node, string app, string address) => new()
    {
        Metadata = new ObjectMeta { Name = $"{node}.{ns}.{pod}.{iface}", Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new WorkloadEndpointSpec
        {
            Namespace = ns,
            Pod = pod,
            Node = node,
            Interface = iface,
            HostInterface = node == Node ? $"rn{pod}{iface}" : null,
            IPNetworks = [address + "/32"],
        },
    };

    private static NetworkPolicy Policy(string ns, string name, string selector, string from, string? fromNamespaces = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new PolicySpec
        {
            Selector = selector,
            Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = from, NamespaceSelector = fromNamespaces } }],
        },
    };

    private static ClusterView View()
    {
        var view = new ClusterView();
        view.WorkloadEndpoints.ReplaceAll([]);
        view.Namespaces.ReplaceAll([new Namespace { Metadata = new ObjectMeta { Name = "x", Labels = new Dictionary<string, string> { ["team"] = "red" } } }]);
        view.NetworkPolicies.ReplaceAll([Policy("x", "web", "app == 'web'", "app == 'db'"), Policy("y", "db", "all()", "app in {'web', 'api'}"), Policy("x", "blue-api", "all()", "app == 'api'", "team == 'blue'")]);
        view.GlobalNetworkPolicies.ReplaceAll([]);
        view.KubernetesNetworkPolicies.ReplaceAll([]);
        return view;
    }

    [Fact]
    public void RandomChanges_SnapshotLogAndTable_SameAsFromScratchAtEveryStep()
    {
        var random = new Random(20261207);
        var view = View();
        var endpoints = new PolicyEndpoints(Node);
        var cache = new PolicyCalculationCache();
        PolicySnapshot? previous = null;
        var address = 0;
        for (var step = 0; step < 400; step++)
        {
            var beforeByKey = view.WorkloadEndpoints.Items.ToDictionary(e => e.Key, e => e.Value);
            var ns = random.Next(2) == 0 ? "x" : "y";
            var pod = "p" + random.Next(12);
            var iface = random.Next(3) == 0 ? "net1" : "eth0";
            var node = random.Next(3) == 0 ? Node : "n2";
            var name = $"{node}.{ns}.{pod}.{iface}";
            switch (random.Next(10))
            {
                case < 6:
                    view.WorkloadEndpoints.Upsert(Endpoint(ns, pod, iface, node, random.Next(3) switch { 0 => "web", 1 => "db", _ => "api" }, $"10.{address / 250 / 250 % 250}.{address / 250 % 250}.{address++ % 250 + 1}"));
                    break;
                case < 9:
                    view.WorkloadEndpoints.Remove(name);
                    break;
                case 9 when random.Next(2) == 0:
                    view.NetworkPolicies.Upsert(Policy("x", "web", random.Next(2) == 0 ? "app == 'web'" : "app == 'api'", "app == 'db'"));
                    break;
                default:
                    view.Namespaces.Upsert(new Namespace { Metadata = new ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["team"] = random.Next(2) == 0 ? "red" : "blue" } } });
                    break;
            }

            var inputs = endpoints.Inputs(view);
            var snapshot = inputs.Snapshot;

            // The policies and namespaces as the view holds them now (a snapshot carried over
            // from the last one must not miss a change of either).
            Assert.Equal(
                view.NetworkPolicies.Items.Values.Select(p => $"{p.Metadata.Namespace}/{p.Name}: {p.Spec.Selector}").Order(StringComparer.Ordinal),
                snapshot.Policies.Select(p => $"{p.Definition.Namespace}/{p.Definition.Name}: {p.Definition.Spec.Selector}").Order(StringComparer.Ordinal));
            foreach (var (key, item) in view.Namespaces.Items)
            {
                Assert.Equal(item.Metadata.Labels, snapshot.NamespaceLabels(key));
            }

            // Exactly the view's endpoints: an id while any of its interfaces is there, every address to its own interface's endpoint.
            var expectedIds = view.WorkloadEndpoints.Items.Values.Select(e => $"{e.Spec.Namespace}/{e.Spec.Pod}").Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(expectedIds, snapshot.EndpointsById.Keys.Order(StringComparer.Ordinal));
            foreach (var endpoint in view.WorkloadEndpoints.Items.Values)
            {
                var found = snapshot.FindEndpoint(IPAddress.Parse(endpoint.Spec.IPNetworks[0].Split('/')[0]));
                Assert.Same(PolicyEndpoints.Subject(endpoint), found);
            }

            // The log names every id whose endpoint changed (and no id nothing happened to).
            if (previous is not null)
            {
                var changed = new HashSet<string>(StringComparer.Ordinal);
                Assert.True(snapshot.EndpointChanges.TryChangedSince(previous.EndpointChanges, changed));
                var touched = beforeByKey.Keys.Union(view.WorkloadEndpoints.Items.Keys)
                    .Where(k => !ReferenceEquals(beforeByKey.GetValueOrDefault(k), view.WorkloadEndpoints.Items.GetValueOrDefault(k)))
                    .Select(k => (beforeByKey.GetValueOrDefault(k) ?? view.WorkloadEndpoints.Items[k]).Spec)
                    .Select(s => $"{s.Namespace}/{s.Pod}");
                Assert.Equal(touched.Order(StringComparer.Ordinal), changed.Order(StringComparer.Ordinal));
            }
            previous = snapshot;

            SelectorSetCacheTests.AssertSameTable(PolicyCalculator.Compute(inputs), PolicyCalculator.Compute(inputs, cache));
        }
    }

    [Fact]
    public void SecondInterfaceGoes_PodStaysWithItsFirstInterfacesAddress()
    {
        var view = View();
        var endpoints = new PolicyEndpoints(Node);
        view.WorkloadEndpoints.Upsert(Endpoint("x", "a", "eth0", "n2", "web", "10.0.0.1"));
        view.WorkloadEndpoints.Upsert(Endpoint("x", "a", "net1", "n2", "web", "10.0.0.2"));
        endpoints.Inputs(view);

        view.WorkloadEndpoints.Remove("n2.x.a.net1");
        var snapshot = endpoints.Inputs(view).Snapshot;

        Assert.Equal([IPAddress.Parse("10.0.0.1")], snapshot.FindEndpoint("x", "a")!.Addresses);
        Assert.Null(snapshot.FindEndpoint(IPAddress.Parse("10.0.0.2")));
    }
}
