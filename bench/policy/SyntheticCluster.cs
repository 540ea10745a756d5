using RoutedNet.Datastore.Resources;

namespace RoutedNet.PolicyBench;

/// <summary>
/// The cluster the benchmark writes, the same for the same settings (populate and measure run as
/// two processes and must agree on every object):
/// - NAMESPACES namespaces ns-NN, labels team=t(NN%10), env=prod|dev (even|odd);
/// - ENDPOINTS WorkloadEndpoints on 100 other nodes: pod k in ns-(k%NAMESPACES), labels
///   app=a((k/NAMESPACES)%20), tier=web|api|db (k%3), role=r(k%7), address 10.100.0.0/14 + k;
/// - LOCAL pods on the bench's node: local-i in ns-i, app=a(i), tier=web, role=r0, 10.99.0.(i+1),
///   host veth named as the plugin names it (the script wires them);
/// - POLICIES policies, a realistic mix: per namespace (round robin) 10 Kubernetes NetworkPolicies
///   (half select tier=web, i.e. the local pods, with peers by pod and namespace selector), 9
///   routednet.io NetworkPolicies (3 select tier == 'web'; rules by selector, namespaceSelector,
///   ports) until 5% are left, which are GlobalNetworkPolicies over the three tiers (those with
///   role == 'r0' select the local pods; rules by selector over every namespace, nets, Deny, Pass).
/// With <see cref="SelectNamespace"/> set (bench/cni-latency.sh -P), SELECTING of the policies are
/// placed in that namespace and select every pod of it (the CNI bench's pods carry no labels).
/// </summary>
internal sealed record SyntheticCluster(int Namespaces, int Endpoints, int Policies, int LocalPods, string LocalNode, string? SelectNamespace = null, int Selecting = 0)
{
    public const int RemoteNodes = 100;

    public static string Ns(int n) => $"ns-{n:D2}";

    public IEnumerable<Namespace> NamespaceObjects()
    {
        for (var n = 0; n < Namespaces; n++)
        {
            yield return new Namespace
            {
                Metadata = new ObjectMeta
                {
                    Name = Ns(n),
                    Labels = new Dictionary<string, string> { ["team"] = $"t{n % 10}", ["env"] = n % 2 == 0 ? "prod" : "dev" },
                },
            };
        }
    }

    public static string Tier(int k) => (k % 3) switch { 0 => "web", 1 => "api", _ => "db" };

    public Dictionary<string, string> RemoteLabels(int k, string? tier = null) => new()
    {
        ["app"] = $"a{k / Namespaces % 20}",
        ["tier"] = tier ?? Tier(k),
        ["role"] = $"r{k % 7}",
    };

    public WorkloadEndpoint Remote(int k, string? tier = null)
    {
        var ns = Ns(k % Namespaces);
        var pod = $"p-{k}";
        return Endpoint(ns, pod, RemoteLabels(k, tier), $"10.{100 + (k >> 16)}.{(k >> 8) & 255}.{k & 255}", $"remote-{k % RemoteNodes:D3}");
    }

    public Dictionary<string, string> LocalLabels(int i, string role = "r0") => new()
    {
        ["app"] = $"a{i % 20}",
        ["tier"] = "web",
        ["role"] = role,
    };

    public WorkloadEndpoint Local(int i, string role = "r0") =>
        Endpoint(Ns(i % Namespaces), $"local-{i}", LocalLabels(i, role), $"10.99.0.{i + 1}", LocalNode);

    private static WorkloadEndpoint Endpoint(string ns, string pod, Dictionary<string, string> labels, string address, string node) => new()
    {
        Metadata = new ObjectMeta { Name = $"bench.{ns}-{pod}.eth0", Labels = labels },
        Spec = new WorkloadEndpointSpec
        {
            Pod = pod,
            Namespace = ns,
            ContainerID = $"{ns}-{pod}",
            Interface = "eth0",
            HostInterface = HostVethName.For(ns, pod, $"{ns}-{pod}", "eth0"),
            IPNetworks = [address + "/32"],
            Node = node,
        },
    };

    /// <summary>Every policy: Kubernetes ones, routednet.io namespaced ones, global ones, in that order.</summary>
    public IEnumerable<Resource> PolicyObjects()
    {
        var globals = Math.Max(1, Policies / 20);
        var namespaced = Policies - globals;
        var selecting = SelectNamespace is null ? 0 : Math.Min(Selecting, namespaced);
        for (var p = 0; p < selecting; p++)
        {
            // Half Kubernetes, half routednet.io, each selecting every pod of the namespace.
            yield return p % 2 == 0
                ? KubernetesPolicy(SelectNamespace!, p, p, selectAll: true) with { Metadata = new ObjectMeta { Name = $"bench-{p}", Namespace = SelectNamespace } }
                : RoutedNetPolicy(SelectNamespace!, 10 + p, p, selectAll: true) with { Metadata = new ObjectMeta { Name = $"bench-{p}", Namespace = SelectNamespace } };
        }
        for (var p = selecting; p < namespaced; p++)
        {
            var n = p % Namespaces;
            var j = p / Namespaces;
            // Per namespace 10 Kubernetes policies then 9 routednet.io ones, round robin.
            yield return j % 19 < 10 ? KubernetesPolicy(Ns(n), j, n, selectAll: false) : RoutedNetPolicy(Ns(n), j, n, selectAll: false);
        }
        for (var g = 0; g < globals; g++)
        {
            yield return GlobalPolicy(g, globals);
        }
    }

    private static KubernetesNetworkPolicy KubernetesPolicy(string ns, int j, int n, bool selectAll) => new()
    {
        Metadata = new ObjectMeta { Name = $"knp-{j}", Namespace = ns },
        Spec = j % 2 == 0 || selectAll
            ? new KubernetesNetworkPolicySpec
            {
                PodSelector = selectAll ? new LabelSelector() : new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "web" } },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new KubernetesIngressRule
                    {
                        From =
                        [
                            new KubernetesPeer
                            {
                                PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = $"a{(j + n) % 20}" } },
                                NamespaceSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = $"t{j % 10}" } },
                            },
                        ],
                        Ports = [new KubernetesPort { Protocol = "TCP", Port = 80 }, new KubernetesPort { Protocol = "TCP", Port = 8080 }],
                    },
                ],
            }
            : new KubernetesNetworkPolicySpec
            {
                PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = $"a{(j + n) % 20}" } },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new KubernetesIngressRule { From = [new KubernetesPeer { PodSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "api" } } }], Ports = [new KubernetesPort { Protocol = "TCP", Port = 443 }] }],
                Egress = [new KubernetesEgressRule { To = [new KubernetesPeer { NamespaceSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["env"] = "prod" } } }], Ports = [new KubernetesPort { Protocol = "UDP", Port = 53 }] }],
            },
    };

    private static NetworkPolicy RoutedNetPolicy(string ns, int j, int n, bool selectAll)
    {
        var r = j % 19 - 10;
        return new NetworkPolicy
        {
            Metadata = new ObjectMeta { Name = $"rnp-{j}", Namespace = ns },
            Spec = r < 3 || selectAll
                ? new PolicySpec
                {
                    Selector = selectAll ? "all()" : "tier == 'web'",
                    Types = [PolicySpec.TypeIngress, PolicySpec.TypeEgress],
                    Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = "TCP", Source = new EntityRule { Selector = $"role == 'r{r}'" }, Destination = new EntityRule { Ports = [9000 + r] } }],
                    Egress = [new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = "TCP", Destination = new EntityRule { NamespaceSelector = $"team == 't{r}'", Selector = "tier == 'db'", Ports = [5432] } }],
                }
                : new PolicySpec
                {
                    Selector = $"app == 'a{(j + n) % 20}'",
                    Types = [PolicySpec.TypeIngress],
                    Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = "TCP", Source = new EntityRule { Selector = $"tier == 'api' && role != 'r{j % 7}'" }, Destination = new EntityRule { Ports = [8443] } }],
                },
        };
    }

    private static GlobalNetworkPolicy GlobalPolicy(int g, int globals) => new()
    {
        Metadata = new ObjectMeta { Name = $"gnp-{g}" },
        Spec = new PolicySpec
        {
            Tier = g < globals / 10 ? PolicySpec.TierAdmin : g >= globals - (globals / 10) ? PolicySpec.TierBaseline : PolicySpec.TierDefault,
            Order = g * 10,
            Selector = $"role == 'r{g % 7}'",
            Types = [PolicySpec.TypeIngress, PolicySpec.TypeEgress],
            Ingress =
            [
                new PolicyRule { Action = PolicyRule.ActionDeny, Protocol = "TCP", Source = new EntityRule { Selector = "tier == 'db'", NamespaceSelector = "env == 'dev'" }, Destination = new EntityRule { Ports = [22] } },
                new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = $"app in {{'a{g % 20}', 'a{(g + 1) % 20}'}}" } },
                new PolicyRule { Action = PolicyRule.ActionPass },
            ],
            Egress =
            [
                new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = "TCP", Destination = new EntityRule { Selector = "tier == 'api'", Ports = [443] } },
                new PolicyRule { Action = PolicyRule.ActionAllow, Destination = new EntityRule { Nets = ["10.96.0.0/12"] } },
                new PolicyRule { Action = PolicyRule.ActionPass },
            ],
        },
    };
}
