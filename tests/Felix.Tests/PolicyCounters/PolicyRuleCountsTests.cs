using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.PolicyCounters;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Tests.PolicyCounters;

/// <summary>
/// Mapping the kernel's rule counters back to policy rules: the chain names the policy (from the
/// calculator's record of it), the comment "ID#i3" the rule; the nft rules one policy rule became
/// add up, and a Deny's drop-log rule (no counter) adds nothing.
/// </summary>
public sealed class PolicyRuleCountsTests
{
    private static readonly PolicyEndpoint Pod = new("x", "a", new Dictionary<string, string>(), [IPAddress.Parse("10.0.0.1")], node: "n1");

    /// <summary>Ingress: 0 Allow from two nets (IPv4 and IPv6: two nft rules), 1 Deny, 2 Log, 3 Pass; egress: 0 Allow.</summary>
    internal static PolicyDefinition Mixed(string? ns = "x", string name = "mixed") => new(ns, name, new PolicySpec
    {
        Tier = ns is null ? PolicySpec.TierAdmin : null,
        Selector = "all()",
        Types = [PolicySpec.TypeIngress, PolicySpec.TypeEgress],
        Ingress =
        [
            new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { Nets = ["10.1.0.0/16", "fd00:1::/64"] } },
            new PolicyRule { Action = PolicyRule.ActionDeny, Protocol = new IntOrString("TCP") },
            new PolicyRule { Action = PolicyRule.ActionLog },
            new PolicyRule { Action = PolicyRule.ActionPass },
        ],
        Egress = [new PolicyRule { Action = PolicyRule.ActionAllow }],
    });

    internal static PolicyPlan Plan(params PolicyDefinition[] policies) =>
        PolicyCalculator.Compute(new PolicyInputs(1, [new LocalEndpoint("rna", "a", Pod.Addresses, "routednet.a.eth0") { Subject = Pod }])
        {
            Snapshot = new PolicySnapshot([Pod], [], policies),
        });

    /// <summary>
    /// The plan's rules as a dump returns them: every counter holds (packets, bytes) from
    /// <paramref name="count"/> of the rule's comment and its position among that comment's rules.
    /// </summary>
    internal static List<NftRule> Dumped(PolicyPlan plan, Func<string?, int, (ulong Packets, ulong Bytes)> count)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rules = new List<NftRule>();
        ulong handle = 1;
        foreach (var rule in plan.Dataplane.Chains.Values.SelectMany(c => c.Rules))
        {
            var nth = rule.Comment is { } comment ? seen[comment] = seen.GetValueOrDefault(comment) + 1 : 0;
            var (packets, bytes) = count(rule.Comment, nth);
            rules.Add(rule with
            {
                Expressions = [.. rule.Expressions.Select(e => e.Name == "counter" ? NftExpression.Counter(packets, bytes) : e)],
                Handle = handle++,
            });
        }
        return rules;
    }

    [Fact]
    public void Collect_EveryRuleOfTheChainsInForce_CountsSummedPerPolicyRule()
    {
        var plan = Plan(Mixed());
        var rules = Dumped(plan, (comment, nth) => comment switch
        {
            "x/mixed#i0" => ((ulong)(nth * 10), (ulong)(nth * 1000)), // IPv4 rule 10, IPv6 rule 20
            "x/mixed#i1" => (7, 700), // the drop-log rule has no counter: only the drop's 7 count
            "x/mixed#i2" => (3, 300),
            _ => (100, 10000),        // end-of-tier drops and other chains: not a policy rule
        });

        var counters = PolicyRuleCounts.Collect(rules, plan.PolicyChains);

        Assert.Equal(
            [
                new PolicyRuleCounter("default", "x", "mixed", "egress", 0, "allow", 100, 10000),
                new PolicyRuleCounter("default", "x", "mixed", "ingress", 0, "allow", 30, 3000),
                new PolicyRuleCounter("default", "x", "mixed", "ingress", 1, "deny", 7, 700),
                new PolicyRuleCounter("default", "x", "mixed", "ingress", 2, "log", 3, 300),
                new PolicyRuleCounter("default", "x", "mixed", "ingress", 3, "pass", 100, 10000),
            ],
            counters);
        Assert.Equal("x/mixed", counters[0].Policy);
    }

    [Fact]
    public void Collect_NothingMatchedYet_EveryRuleListedWithZero_GlobalPolicyWithoutNamespace()
    {
        var plan = Plan(Mixed(ns: null, name: "g"));

        var counters = PolicyRuleCounts.Collect(Dumped(plan, (_, _) => (0, 0)), plan.PolicyChains);

        Assert.Equal(5, counters.Count);
        Assert.All(counters, c => Assert.Equal((0UL, 0UL, "admin", (string?)null, "g"), (c.Packets, c.Bytes, c.Tier, c.Namespace, c.Policy)));
    }

    [Fact]
    public void Collect_ChainNotInForce_OrForeignComment_Ignored()
    {
        var plan = Plan(Mixed());
        var chain = PolicyCalculator.PolicyChain(Mixed(), ingress: false);
        NftRule[] rules =
        [
            new("routednet", "p-000000000000-i", [NftExpression.Counter(5, 500)], "x/gone#i0"), // a chain the last commit does not hold
            new("routednet", chain, [NftExpression.Counter(9, 900)], "hand written"),       // no rule id
            new("routednet", chain, [NftExpression.Counter(2, 200)], "x/mixed#e0"),
        ];

        var counters = PolicyRuleCounts.Collect(rules, plan.PolicyChains);

        var egress = Assert.Single(counters, c => c.Direction == "egress");
        Assert.Equal((2UL, 200UL), (egress.Packets, egress.Bytes));
        Assert.DoesNotContain(counters, c => c.Name == "gone");
    }
}
