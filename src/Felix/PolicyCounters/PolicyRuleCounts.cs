using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.PolicyCounters;

/// <summary>
/// Turns the rules of `table inet routednet` as a dump returns them (counter values included) into
/// one count per policy rule: a rule of a shared policy chain p-HASH-i/-e is that chain's policy
/// (<see cref="PolicyChainInfo"/>, from the last commit) and, by its comment "ID#i3", rule 3 of the
/// direction. The policy's nft rules for one of its rules (IPv4 and IPv6, each port entry) add up;
/// a Deny's drop-log rule has no counter and adds nothing. Every rule of every chain in force is
/// listed, 0 when nothing matched yet, so a user sees which policies this node enforces.
/// </summary>
public static class PolicyRuleCounts
{
    public static IReadOnlyList<PolicyRuleCounter> Collect(IEnumerable<NftRule> rules, IReadOnlyDictionary<string, PolicyChainInfo> chains)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(chains);
        var totals = new Dictionary<(string Chain, int Rule), (ulong Packets, ulong Bytes)>();
        foreach (var rule in rules)
        {
            if (!chains.ContainsKey(rule.Chain) || !PolicyRuleId.TryParse(rule.Comment, out var id))
            {
                continue;
            }
            foreach (var expression in rule.Expressions)
            {
                if (expression.TryGetCounter(out var packets, out var bytes))
                {
                    var sum = totals.GetValueOrDefault((rule.Chain, id.Index));
                    totals[(rule.Chain, id.Index)] = (sum.Packets + packets, sum.Bytes + bytes);
                }
            }
        }
        var counters = new List<PolicyRuleCounter>();
        foreach (var (chain, info) in chains)
        {
            for (var index = 0; index < info.Actions.Count; index++)
            {
                var (packets, bytes) = totals.GetValueOrDefault((chain, index));
                counters.Add(new PolicyRuleCounter(
                    info.Tier, info.Namespace, info.Name, info.Ingress ? "ingress" : "egress", index, info.Actions[index].ToLowerInvariant(), packets, bytes));
            }
        }
        counters.Sort(static (a, b) =>
        {
            var order = StringComparer.Ordinal.Compare(a.Policy, b.Policy);
            order = order != 0 ? order : StringComparer.Ordinal.Compare(a.Direction, b.Direction);
            return order != 0 ? order : a.Rule.CompareTo(b.Rule);
        });
        return counters;
    }
}
