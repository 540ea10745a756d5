using System.Runtime.CompilerServices;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// What one calculation hands the next (the policy loop keeps one; not thread-safe): the selector
/// sets' members (<see cref="SelectorSetCache"/>), and the rules of every endpoint chain and its
/// tier chains by what they are made of (the chain's name and the policies selecting it, in
/// order), so an endpoint whose policies did not change keeps the very same rule lists, which the
/// diff compares by reference instead of by text: with 100 pods each selected by 10 policies,
/// building and comparing those rules again was most of a CNI ADD's wait (bench/cni-latency.sh -P).
/// </summary>
public sealed class PolicyCalculationCache
{
    // Chain names of a policy (SHA-256 of its id), per definition object.
    private static readonly ConditionalWeakTable<PolicyDefinition, string[]> PolicyChains = new();

    private Dictionary<string, EndpointChains> _chains = new(StringComparer.Ordinal);
    private Dictionary<string, EndpointChains> _next = new(StringComparer.Ordinal);

    public SelectorSetCache Sets { get; } = new();

    internal static string PolicyChain(PolicyDefinition policy, bool ingress) =>
        PolicyChains.GetValue(policy, static p => [PolicyCalculator.PolicyChainName(p, ingress: false), PolicyCalculator.PolicyChainName(p, ingress: true)])[ingress ? 1 : 0];

    internal void Begin(PolicySnapshot snapshot)
    {
        Sets.Begin(snapshot);
        _next = new Dictionary<string, EndpointChains>(StringComparer.Ordinal);
    }

    internal void End()
    {
        Sets.End();
        _chains = _next;
    }

    /// <summary>The endpoint chain's rules and its tier chains, made by <paramref name="make"/> unless the same key was made last time.</summary>
    internal EndpointChains Endpoint(string key, Func<EndpointChains> make)
    {
        if (!_chains.TryGetValue(key, out var made))
        {
            made = make();
        }
        _next[key] = made;
        return made;
    }

    /// <summary>An endpoint chain's rules and its tier chains' (name, rules).</summary>
    internal sealed record EndpointChains(List<NftRule> Rules, List<(string Name, List<NftRule> Rules)> Tiers);
}
