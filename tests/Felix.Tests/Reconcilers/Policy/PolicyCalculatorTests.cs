using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Tests.Reconcilers.Policy;

/// <summary>
/// The policy calculation (pure): which chains, rules, sets and map entries the node's table gets
/// for its endpoints and the cluster's policies; which policies select an endpoint and in which
/// order comes from the model (PolicySnapshot), the tests pin the rendering of that.
/// </summary>
public sealed class PolicyCalculatorTests
{
    private static readonly Dictionary<string, string> None = [];

    private static PolicyEndpoint Pod(string ns, string name, string address, Dictionary<string, string>? labels = null, IReadOnlyList<NamedPort>? ports = null, string node = "n1") =>
        new(ns, name, labels ?? None, [IPAddress.Parse(address)], ports: ports, node: node);

    private static LocalEndpoint Local(PolicyEndpoint pod, string veth) =>
        new(veth, pod.Name, pod.Addresses, $"routednet.{pod.Name}.eth0") { Subject = pod };

    private static PolicyPlan Compute(IReadOnlyList<PolicyEndpoint> all, IReadOnlyList<LocalEndpoint> local, params PolicyDefinition[] policies) =>
        PolicyCalculator.Compute(new PolicyInputs(7, local) { Snapshot = new PolicySnapshot(all, [], policies) });

    private static PolicyDefinition DenyAllIngress(string ns) =>
        new(ns, "deny-all", new PolicySpec { Selector = "all()", Types = [PolicySpec.TypeIngress] });

    private static PolicyDefinition AllowFrom(string ns, string selector) =>
        new(ns, "allow", new PolicySpec { Selector = "all()", Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Selector = selector } }] });

    private static string[] Texts(PolicyPlan plan, string chain) => [.. plan.Dataplane.Chains[chain].Rules.Select(r => r.Describe())];

    private static IEnumerable<string> Elements(PolicyPlan plan, string set) =>
        plan.Dataplane.Sets[set].Elements.Values.Select(e => Convert.ToHexString(e.Key)).Order(StringComparer.Ordinal);

    [Fact]
    public void NoPolicy_EveryEndpoint_EmptyChainsAndBothMapEntries()
    {
        var a = Pod("x", "a", "10.0.0.1");
        var plan = Compute([a], [Local(a, "rna"), new LocalEndpoint("rnb", "b", [IPAddress.Parse("10.0.0.2")], null)]);

        foreach (var veth in new[] { "rna", "rnb" })
        {
            Assert.Empty(plan.Dataplane.Chains[PolicyTable.FromChain(veth)].Rules);
            Assert.Empty(plan.Dataplane.Chains[PolicyTable.ToChain(veth)].Rules);
        }
        Assert.Equal(2, plan.Dataplane.Sets[PolicyTable.FromMap].Elements.Count);
        Assert.Contains(plan.Dataplane.Sets[PolicyTable.ToMap].Elements.Values, e => e.Verdict == NftVerdict.Goto("tw-rnb"));
        Assert.DoesNotContain(plan.Dataplane.Chains.Keys, c => c.StartsWith("p-", StringComparison.Ordinal));
        // Static like the dispatch: each tier's shared end-of-tier drop, per direction.
        Assert.Equal(
            ["tier-end-admin-e", "tier-end-admin-i", "tier-end-baseline-e", "tier-end-baseline-i", "tier-end-default-e", "tier-end-default-i"],
            plan.Dataplane.Chains.Keys.Where(c => c.StartsWith("tier-end-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(2, plan.Dataplane.Sets.Count);
        Assert.Equal(7, plan.Revision);
    }

    [Fact]
    public void DefaultDenyIngress_SelectsOnlyItsNamespace_EndOfTierDropInTheIngressChain()
    {
        var a = Pod("x", "a", "10.0.0.1");
        var b = Pod("y", "b", "10.0.0.2");
        var plan = Compute([a, b], [Local(a, "rna"), Local(b, "rnb")], DenyAllIngress("x"));

        var ingress = plan.Dataplane.Chains["tw-rna"].Rules;
        // The tier's end goes to the tier's shared drop chain, whose one counter counts every pod's end-of-tier drops.
        Assert.Contains(ingress, r => r.Comment == "tier default: selected, no rule decided" && r.Describe().Contains("goto -> tier-end-default-i", StringComparison.Ordinal));
        Assert.Equal(["[ counter pkts 0 bytes 0 ]", "[ immediate reg 0 drop ]"], plan.Dataplane.Chains["tier-end-default-i"].Rules.Single().Expressions.Select(e => e.ToString()));
        Assert.Contains(ingress, r => r.Describe().Contains("jump -> tw-rna-default", StringComparison.Ordinal));
        Assert.Empty(plan.Dataplane.Chains["fw-rna"].Rules);
        Assert.Empty(plan.Dataplane.Chains["tw-rnb"].Rules);
        var policyChain = PolicyCalculator.PolicyChain(new PolicyDefinition("x", "deny-all", new PolicySpec()), ingress: true);
        Assert.Empty(plan.Dataplane.Chains[policyChain].Rules);
        Assert.Equal(1, plan.ActivePolicies);
    }

    [Fact]
    public void AllowFromSelector_SetHoldsEveryMatchingEndpointOfTheNamespace_RemoteOnesToo()
    {
        var a = Pod("x", "a", "10.0.0.1", new() { ["app"] = "web" });
        var remote = Pod("x", "r", "10.0.1.9", new() { ["app"] = "web" }, node: "n2");
        var otherNamespace = Pod("y", "w", "10.0.2.9", new() { ["app"] = "web" }, node: "n2");
        var other = Pod("x", "o", "10.0.1.8", new() { ["app"] = "db" }, node: "n2");
        var plan = Compute([a, remote, otherNamespace, other], [Local(a, "rna")], AllowFrom("x", "app == 'web'"));

        var set = Assert.Single(plan.Dataplane.Sets.Keys, s => s.StartsWith("s4-", StringComparison.Ordinal));
        Assert.Equal(["0A000001", "0A000109"], Elements(plan, set));
        var rules = Texts(plan, PolicyCalculator.PolicyChain(new PolicyDefinition("x", "allow", new PolicySpec()), ingress: true));
        var rule = Assert.Single(rules, r => r.Contains("lookup reg 1 set " + set, StringComparison.Ordinal));
        Assert.Contains("payload load 4b @ network header + 12", rule, StringComparison.Ordinal);
        Assert.Contains("immediate reg 0 return", rule, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyChains_NameEachSharedChainsPolicyTierDirectionAndActions_EveryRuleOfThemCounts()
    {
        var a = Pod("x", "a", "10.0.0.1");
        var policy = new PolicyDefinition("x", "mixed", new PolicySpec
        {
            Selector = "all()",
            Ingress = [new PolicyRule { Action = PolicyRule.ActionDeny }, new PolicyRule { Action = PolicyRule.ActionLog }, new PolicyRule { Action = PolicyRule.ActionAllow }],
        });
        var plan = Compute([a], [Local(a, "rna")], policy);

        var chain = PolicyCalculator.PolicyChain(policy, ingress: true);
        var info = plan.PolicyChains[chain];
        Assert.Equal(("default", "x", "mixed", true, "x/mixed"), (info.Tier, info.Namespace, info.Name, info.Ingress, info.Id));
        Assert.Equal(["Deny", "Log", "Allow"], info.Actions);
        Assert.Single(plan.PolicyChains);
        // Per rule id one counter (a Deny's drop-log rule before it counts nothing); Log counts all it
        // matched before the limit picks the ones it logs.
        var rules = plan.Dataplane.Chains[chain].Rules;
        foreach (var id in new[] { "x/mixed#i0", "x/mixed#i1", "x/mixed#i2" })
        {
            Assert.Single(rules.Where(r => r.Comment == id).SelectMany(r => r.Expressions), e => e.Name == "counter");
        }
        Assert.StartsWith("[ counter pkts 0 bytes 0 ]\n[ limit rate 10/second", string.Join('\n', Assert.Single(rules, r => r.Comment == "x/mixed#i1").Expressions), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelChange_SameSetName_OnlyItsElementsDiffer_OneElementMessageEachWay()
    {
        var a = Pod("x", "a", "10.0.0.1");
        var web = Pod("x", "w", "10.0.1.9", new() { ["app"] = "web" }, node: "n2");
        var before = Compute([a, web], [Local(a, "rna")], AllowFrom("x", "app == 'web'"));
        var relabelled = Pod("x", "w", "10.0.1.9", new() { ["app"] = "db" }, node: "n2");
        var joined = Pod("x", "j", "10.0.1.7", new() { ["app"] = "web" }, node: "n2");
        var after = Compute([a, relabelled, joined], [Local(a, "rna")], AllowFrom("x", "app == 'web'"));

        var batch = new NftBatch();
        Assert.True(PolicyDataplaneDiff.Plan(after.Dataplane, before.Dataplane, batch));

        Assert.Equal(before.Dataplane.Sets.Keys.Order(StringComparer.Ordinal), after.Dataplane.Sets.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, batch.Count); // delete element 10.0.1.9, add element 10.0.1.7: no rule, chain or set written
        batch.Clear();
        Assert.False(PolicyDataplaneDiff.Plan(after.Dataplane, after.Dataplane, batch));
    }

    [Fact]
    public void NamedPort_SetHoldsAddressProtocolPortOfEveryEndpointWithTheName()
    {
        var a = Pod("x", "a", "10.0.0.1", ports: [new NamedPort("serve-81-tcp", Protocols.Tcp, 81)]);
        var b = Pod("x", "b", "10.0.0.2", ports: [new NamedPort("serve-81-tcp", Protocols.Tcp, 8081), new NamedPort("serve-80-tcp", Protocols.Tcp, 80)]);
        var policy = new PolicyDefinition("x", "named", new PolicySpec
        {
            Selector = "all()",
            Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = new IntOrString("TCP"), Destination = new EntityRule { Ports = [new IntOrString("serve-81-tcp")] } }],
        });
        var plan = Compute([a, b], [Local(a, "rna")], policy);

        var set = Assert.Single(plan.Dataplane.Sets.Keys, s => s.StartsWith("n4-", StringComparison.Ordinal));
        // address . protocol . port, each padded to 4 bytes; b's serve-80-tcp is not in it.
        Assert.Equal(["0A0000010600000000510000", "0A000002060000001F910000"], Elements(plan, set));
        Assert.Equal([NftDataType.Ipv4Address, NftDataType.InetProtocol, NftDataType.InetService], plan.Dataplane.Sets[set].Set.Key);
    }

    [Fact]
    public void IpBlockWithExcept_IntervalSetsForNetsAndNotNets()
    {
        var a = Pod("x", "a", "10.0.0.1");
        var policy = new PolicyDefinition("x", "cidr", new PolicySpec
        {
            Selector = "all()",
            Egress = [new PolicyRule { Action = PolicyRule.ActionAllow, Destination = new EntityRule { Nets = ["10.0.0.0/16"], NotNets = ["10.0.5.0/24"] } }],
        });
        var plan = Compute([a], [Local(a, "rna")], policy);

        var sets = plan.Dataplane.Sets.Values.Where(s => s.Set.Name.StartsWith("c4-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, sets.Count);
        Assert.All(sets, s => Assert.True(s.Set.IsInterval));
        Assert.Contains(sets, s => s.Elements.Values.Select(e => (Convert.ToHexString(e.Key), e.IsIntervalEnd)).Order().SequenceEqual(new[] { ("00000000", true), ("0A000000", false), ("0A010000", true) }.Order()));
        var rule = Assert.Single(Texts(plan, PolicyCalculator.PolicyChain(policy, ingress: false)));
        Assert.Contains("payload load 4b @ network header + 16", rule, StringComparison.Ordinal);
        var except = sets.Single(s => s.Elements.Values.Any(e => Convert.ToHexString(e.Key) == "0A000500")).Set.Name;
        var net = sets.Single(s => s.Set.Name != except).Set.Name;
        var lookups = rule.Split('\n').Where(l => l.Contains("lookup", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"[ lookup reg 1 set {net} ]", $"[ lookup reg 1 set {except} 0x1 ]"], lookups);
    }

    [Fact]
    public void AdminTierBeforeDefault_EndpointChainRunsTiersInOrder()
    {
        var a = Pod("x", "a", "10.0.0.1");
        var admin = new PolicyDefinition(null, "gnp", new PolicySpec { Tier = PolicySpec.TierAdmin, Selector = "all()", Ingress = [new PolicyRule { Action = PolicyRule.ActionPass }] });
        var plan = Compute([a], [Local(a, "rna")], admin, DenyAllIngress("x"));

        var text = string.Join("\n", Texts(plan, "tw-rna"));
        Assert.True(text.IndexOf("jump -> tw-rna-admin", StringComparison.Ordinal) < text.IndexOf("jump -> tw-rna-default", StringComparison.Ordinal), text);
        Assert.Contains("tier admin: selected, no rule decided", plan.Dataplane.Chains["tw-rna"].Rules.Select(r => r.Comment));
        var pass = Assert.Single(Texts(plan, PolicyCalculator.PolicyChain(admin, ingress: true)));
        Assert.Contains("0x00020000", pass, StringComparison.Ordinal);
    }
}
