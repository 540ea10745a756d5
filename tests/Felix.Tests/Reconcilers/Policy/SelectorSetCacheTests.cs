using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Tests.Reconcilers.Policy;

/// <summary>
/// The policy loop's calculation cache (selector sets' members, endpoint chains): a sequence of
/// cluster changes calculated with one cache gives, at every step, exactly the table a calculation
/// from scratch gives (members by labels, namespace labels, addresses, endpoints gone and new, the
/// local pod's policies); sets nothing touched stay the same object, which lets the diff skip them.
/// </summary>
public sealed class SelectorSetCacheTests
{
    private readonly PolicyCalculationCache _cache = new();

    private static PolicyEndpoint Pod(string ns, string name, string address, string app, string node = "n2") =>
        new(ns, name, new Dictionary<string, string> { ["app"] = app }, [IPAddress.Parse(address)], node: node);

    private static PolicyNamespace Ns(string name, string team) => new(name, new Dictionary<string, string> { ["team"] = team });

    // The local pod x/a is selected by both: one set by pod selector in its namespace, one by namespaceSelector across namespaces.
    private static readonly PolicyDefinition[] Policies =
    [
        new("x", "from-web", new PolicySpec { Selector = "all()", Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = "app == 'web'" } }] }),
        new(null, "from-team-blue", new PolicySpec { Selector = "all()", Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { NamespaceSelector = "team == 'blue'", Selector = "app == 'db'" } }] }),
        new(null, "web-egress", new PolicySpec { Tier = PolicySpec.TierAdmin, Selector = "app == 'web'", Egress = [new PolicyRule { Action = PolicyRule.ActionPass }] }),
    ];

    private PolicyPlan Cached(IReadOnlyList<PolicyEndpoint> all, IReadOnlyList<PolicyNamespace> namespaces, bool localPod = true) =>
        PolicyCalculator.Compute(Inputs(all, namespaces, localPod), _cache);

    private static PolicyPlan Fresh(IReadOnlyList<PolicyEndpoint> all, IReadOnlyList<PolicyNamespace> namespaces) =>
        PolicyCalculator.Compute(Inputs(all, namespaces));

    // Without the local pod no policy selects anything on the node: the calculation asks for no set.
    private static PolicyInputs Inputs(IReadOnlyList<PolicyEndpoint> all, IReadOnlyList<PolicyNamespace> namespaces, bool localPod = true)
    {
        var local = all.Single(e => e.Id == "x/a");
        LocalEndpoint[] endpoints = localPod ? [new LocalEndpoint("rna", "a", local.Addresses, "routednet.a.eth0") { Subject = local }] : [];
        return new PolicyInputs(1, endpoints) { Snapshot = new PolicySnapshot(all, namespaces, Policies) };
    }

    /// <summary>The same chains (rules compared) and sets (elements compared) in both plans.</summary>
    internal static void AssertSameTable(PolicyPlan expected, PolicyPlan actual)
    {
        Assert.Equal(expected.Dataplane.Chains.Keys.Order(StringComparer.Ordinal), actual.Dataplane.Chains.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, chain) in expected.Dataplane.Chains)
        {
            Assert.True(chain.SameAs(actual.Dataplane.Chains[name]), $"chain {name} differs");
        }
        Assert.Equal(expected.Dataplane.Sets.Keys.Order(StringComparer.Ordinal), actual.Dataplane.Sets.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, set) in expected.Dataplane.Sets)
        {
            Assert.Equal(set.Elements.Keys.Order(StringComparer.Ordinal), actual.Dataplane.Sets[name].Elements.Keys.Order(StringComparer.Ordinal));
        }
    }

    private static int Elements(PolicyPlan plan) => plan.Dataplane.Sets.Where(s => s.Key.StartsWith("s4-", StringComparison.Ordinal)).Sum(s => s.Value.Elements.Count);

    [Fact]
    public void Changes_CalculatedWithTheCache_SameSetsAsFromScratchAtEveryStep()
    {
        var namespaces = new List<PolicyNamespace> { Ns("x", "red"), Ns("y", "blue"), Ns("z", "red") };
        var pods = new List<PolicyEndpoint>
        {
            Pod("x", "a", "10.0.0.1", "web", node: "n1"),
            Pod("x", "w1", "10.0.1.1", "web"),
            Pod("x", "d1", "10.0.1.2", "db"),
            Pod("y", "d2", "10.0.2.1", "db"),
            Pod("z", "d3", "10.0.3.1", "db"),
        };
        void Step()
        {
            var cached = Cached(pods, namespaces);
            AssertSameTable(Fresh(pods, namespaces), cached);
            Assert.True(Elements(cached) > 0);
        }
        Step();

        pods[2] = Pod("x", "d1", "10.0.1.2", "web"); // a label moves x/d1 into app == 'web'
        Step();
        pods[1] = Pod("x", "w1", "10.0.1.9", "web"); // a member's address changes
        Step();
        pods.RemoveAt(3); // y/d2 goes
        Step();
        pods.Add(Pod("y", "d4", "10.0.2.4", "db")); // a new pod joins
        Step();
        namespaces[2] = Ns("z", "blue"); // z/d3 comes into the namespaceSelector scope
        Step();
        namespaces.RemoveAt(1); // y loses its labels object: only its name label is left
        Step();
        pods[0] = Pod("x", "a", "10.0.0.1", "db", node: "n1"); // the local pod leaves the admin tier's policy
        Step();
        pods[0] = Pod("x", "a", "10.0.0.1", "web", node: "n1"); // and comes back
        Step();
    }

    [Fact]
    public void UnrelatedChange_UntouchedSetKeptAsTheSameObject_ChangedOneRebuilt()
    {
        var namespaces = new List<PolicyNamespace> { Ns("x", "red"), Ns("y", "blue") };
        var pods = new List<PolicyEndpoint> { Pod("x", "a", "10.0.0.1", "web", node: "n1"), Pod("x", "w1", "10.0.1.1", "web"), Pod("y", "d2", "10.0.2.1", "db") };
        var first = Cached(pods, namespaces);

        pods.Add(Pod("x", "w2", "10.0.1.2", "web")); // only the app == 'web' set of x gains a member
        var second = Cached(pods, namespaces);

        var kept = first.Dataplane.Sets.Where(s => s.Key.StartsWith("s4-", StringComparison.Ordinal) && ReferenceEquals(s.Value, second.Dataplane.Sets[s.Key])).ToList();
        var rebuilt = first.Dataplane.Sets.Where(s => s.Key.StartsWith("s4-", StringComparison.Ordinal) && !ReferenceEquals(s.Value, second.Dataplane.Sets[s.Key])).ToList();
        Assert.Single(kept);
        Assert.Single(rebuilt);
        Assert.Equal(rebuilt[0].Value.Elements.Count + 1, second.Dataplane.Sets[rebuilt[0].Key].Elements.Count);
    }

    // The first pod of a namespace makes its policies active again: their sets come from what was
    // kept up to date meanwhile (an unchanged one is the very same object), not from evaluating
    // every selector against every endpoint.
    [Fact]
    public void PoliciesInactiveForAWhile_SetsKeptUpToDate_UnchangedOneTheSameObjectWhenActiveAgain()
    {
        var namespaces = new List<PolicyNamespace> { Ns("x", "red"), Ns("y", "blue") };
        var pods = new List<PolicyEndpoint> { Pod("x", "a", "10.0.0.1", "web", node: "n1"), Pod("x", "w1", "10.0.1.1", "web"), Pod("y", "d2", "10.0.2.1", "db") };
        var first = Cached(pods, namespaces);

        var inactive = Cached(pods, namespaces, localPod: false);
        Assert.DoesNotContain(inactive.Dataplane.Sets.Keys, k => k.StartsWith("s4-", StringComparison.Ordinal));
        pods.Add(Pod("y", "d5", "10.0.2.5", "db")); // the team-blue db set gains a member while nobody asks for it
        Cached(pods, namespaces, localPod: false);
        pods.RemoveAt(2); // and loses one
        Cached(pods, namespaces, localPod: false);

        var back = Cached(pods, namespaces);

        AssertSameTable(Fresh(pods, namespaces), back);
        var sets = first.Dataplane.Sets.Where(s => s.Key.StartsWith("s4-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, sets.Count);
        Assert.Single(sets, s => ReferenceEquals(s.Value, back.Dataplane.Sets[s.Key]));
        var changed = sets.Single(s => !ReferenceEquals(s.Value, back.Dataplane.Sets[s.Key])).Key;
        Assert.Equal(["10.0.2.5"], back.Dataplane.Sets[changed].Elements.Values.Select(e => new IPAddress(e.Key).ToString()));
    }
}
