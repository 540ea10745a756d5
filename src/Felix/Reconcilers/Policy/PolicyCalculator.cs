using RoutedNet.Felix.PolicyDrops;
using System.Security.Cryptography;
using System.Text;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// Turns the node's endpoints and the cluster's policies into the content of `table inet
/// routednet` (pure, like DesiredStateCalculator: the same inputs always give the same table).
/// Every local endpoint gets its two chains and both map entries; an endpoint no policy selects
/// gets empty chains, i.e. it is allowed both ways, exactly as before policy existed. For one
/// that policies select (which, and in which order, the model says: PolicySnapshot.Selecting),
/// its chain clears the mark bits and runs tier by tier (admin, default, baseline) a chain of the
/// tier's policies: each policy's shared chain p-ID-i/-e sets ACCEPT or PASS and returns, or
/// drops; back in the endpoint chain ACCEPT allows (return in fw-, accept in tw-), PASS goes on to
/// the next tier, and neither is the end-of-tier drop (the tier selected the endpoint and nothing
/// decided: a goto to the tier's shared drop chain, whose counter counts them all). After the last
/// tier: allowed (every tier passed).
/// </summary>
public static class PolicyCalculator
{
    /// <summary>
    /// The table for <paramref name="inputs"/>. With <paramref name="cache"/> (the policy loop keeps
    /// one across calculations) selector sets are updated from the last calculation's members for
    /// the endpoints that changed, instead of evaluated against every endpoint: the same table.
    /// </summary>
    public static PolicyPlan Compute(PolicyInputs inputs, PolicyCalculationCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var snapshot = inputs.Snapshot;
        cache?.Begin(snapshot);
        var plan = Compute(inputs, snapshot, new PolicySets(snapshot, cache?.Sets), cache);
        cache?.End();
        return plan;
    }

    private static PolicyPlan Compute(PolicyInputs inputs, PolicySnapshot snapshot, PolicySets sets, PolicyCalculationCache? cache)
    {
        var chains = new Dictionary<string, DesiredChain>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, LocalEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in inputs.LocalEndpoints)
        {
            endpoints[endpoint.HostInterface] = endpoint;
        }
        var renderer = cache?.Renderer(snapshot, sets) ?? new RuleRenderer(snapshot, sets);
        var active = new Dictionary<string, PolicyChainInfo>(StringComparer.Ordinal);
        foreach (var (hostInterface, endpoint) in endpoints)
        {
            foreach (var ingress in new[] { false, true })
            {
                var name = ingress ? PolicyTable.ToChain(hostInterface) : PolicyTable.FromChain(hostInterface);
                var selecting = endpoint.Subject is { } subject
                    ? snapshot.Selecting(subject, ingress ? PolicyDirection.Ingress : PolicyDirection.Egress)
                    : [];
                var made = cache is null
                    ? EndpointRules(name, selecting, ingress)
                    : cache.Endpoint(name, selecting, () => EndpointKey(name, selecting, ingress), () => EndpointRules(name, selecting, ingress));
                chains[name] = new DesiredChain(new NftChain(PolicyTable.Name, name), made.Rules);
                foreach (var (tierChain, tierRules) in made.Tiers)
                {
                    chains[tierChain] = new DesiredChain(new NftChain(PolicyTable.Name, tierChain), tierRules);
                }
                foreach (var policy in selecting)
                {
                    var policyChain = PolicyChain(policy.Definition, ingress);
                    if (!active.ContainsKey(policyChain))
                    {
                        var rules = (ingress ? policy.Definition.Spec.Ingress : policy.Definition.Spec.Egress) ?? [];
                        active[policyChain] = new PolicyChainInfo(policy.Tier, policy.Definition.Namespace, policy.Definition.Name, ingress, [.. rules.Select(r => r.Action)]);
                        List<NftRule> Render() => rules.SelectMany((rule, index) => renderer.Render(policyChain, policy.Definition, rule, index, ingress)).ToList();
                        chains[policyChain] = new DesiredChain(
                            new NftChain(PolicyTable.Name, policyChain),
                            cache is null ? Render() : cache.Policy(policy.Definition, ingress, sets, Render));
                    }
                }
            }
        }
        var tableSets = new Dictionary<string, DesiredSet>(sets.Sets, StringComparer.Ordinal);
        var interfaces = endpoints.Keys.Order(StringComparer.Ordinal).ToArray();
        PolicyTable.AddSkeleton(chains, tableSets, cache?.Maps(interfaces) ?? PolicyTable.Maps(interfaces));
        return new PolicyPlan(new PolicyDataplane(tableSets, chains), endpoints, inputs.Revision)
        {
            Policies = snapshot.Policies.Count,
            ActivePolicies = active.Keys.Select(c => c[..^2]).Distinct(StringComparer.Ordinal).Count(),
            PolicyChains = active,
            Problems = [.. snapshot.Invalid.Select(i => $"policy {i.Id} left out: {i.Reason}")],
        };
    }

    /// <summary>The shared chain of one policy and direction: p-HASH-i / p-HASH-e (ids may hold '/', chain names should not).</summary>
    public static string PolicyChain(PolicyDefinition policy, bool ingress)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return PolicyCalculationCache.PolicyChain(policy, ingress);
    }

    internal static string PolicyChainName(PolicyDefinition policy, bool ingress)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((policy.Namespace is null ? "gnp:" : "np:") + policy.Id)))[..12];
        return $"p-{hash}-{(ingress ? 'i' : 'e')}";
    }

    // What an endpoint chain is made of: its name, direction and the selecting policies' chains by tier.
    private static string EndpointKey(string chain, CompiledPolicy[] selecting, bool ingress) =>
        $"{chain}|{ingress}|{string.Join(',', selecting.Select(p => $"{p.Tier}:{PolicyChain(p.Definition, ingress)}"))}";

    private static PolicyCalculationCache.EndpointChains EndpointRules(string chain, CompiledPolicy[] selecting, bool ingress)
    {
        var rules = new List<NftRule>();
        var tiers = new List<(string, List<NftRule>)>();
        if (selecting.Length == 0)
        {
            return new(rules, tiers);
        }
        const uint Both = PolicyTable.AcceptMark | PolicyTable.PassMark;
        rules.Add(new NftRule(PolicyTable.Name, chain, NftRules.ClearMark(Both)));
        foreach (var tier in selecting.GroupBy(p => p.TierIndex).OrderBy(g => g.Key))
        {
            var tierName = tier.First().Tier;
            var tierChain = $"{chain}-{tierName}";
            var tierRules = new List<NftRule>();
            foreach (var policy in tier)
            {
                tierRules.Add(new NftRule(PolicyTable.Name, tierChain, [NftExpression.Verdict(NftVerdict.Jump(PolicyChain(policy.Definition, ingress)))]));
                tierRules.Add(new NftRule(PolicyTable.Name, tierChain, [.. NftRules.MarkHas(Both), NftExpression.Verdict(NftVerdict.Return)]));
            }
            tiers.Add((tierChain, tierRules));
            rules.Add(new NftRule(PolicyTable.Name, chain, [NftExpression.Verdict(NftVerdict.Jump(tierChain))]));
            rules.Add(new NftRule(PolicyTable.Name, chain, [.. NftRules.MarkHas(PolicyTable.AcceptMark), NftExpression.Verdict(ingress ? NftVerdict.Accept : NftVerdict.Return)]));
            var endOfTier = PolicyTable.EndOfTierComment(tierName);
            rules.Add(new NftRule(
                PolicyTable.Name, chain,
                [.. NftRules.MarkLacks(PolicyTable.PassMark), .. DropLogRule.Expressions(ingress ? DropDirection.Ingress : DropDirection.Egress, DropReason.EndOfTier, tierName)],
                endOfTier));
            // The drop itself is the tier's shared chain's: one counter per tier and direction.
            rules.Add(new NftRule(
                PolicyTable.Name, chain,
                [.. NftRules.MarkLacks(PolicyTable.PassMark), NftExpression.Verdict(NftVerdict.Goto(PolicyTable.EndOfTierChain(tierName, ingress)))],
                endOfTier));
            rules.Add(new NftRule(PolicyTable.Name, chain, NftRules.ClearMark(PolicyTable.PassMark)));
        }
        return new(rules, tiers);
    }
}
