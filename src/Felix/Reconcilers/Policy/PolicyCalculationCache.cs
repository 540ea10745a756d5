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
/// Likewise each policy's own chain is rendered once per policy object and direction, with the
/// sets it asked for noted and asked for again on later calculations (rendering the ~50 active
/// policies' rules and comparing them rule by rule after every change was ~15% of a pod ADD's
/// agent CPU at 1,000 policies).
/// </summary>
public sealed class PolicyCalculationCache
{
    // Chain names of a policy (SHA-256 of its id), per definition object.
    private static readonly ConditionalWeakTable<PolicyDefinition, string[]> PolicyChains = new();

    private Dictionary<string, EndpointChains> _chains = new(StringComparer.Ordinal);
    private Dictionary<string, EndpointChains> _next = new(StringComparer.Ordinal);
    // Per endpoint chain: the selecting policies it was last made of (the model hands out the same
    // array while nothing about the endpoint's selection changed), so most keys need no string.
    private Dictionary<string, (CompiledPolicy[] Selecting, EndpointChains Made)> _byChain = new(StringComparer.Ordinal);
    private Dictionary<string, (CompiledPolicy[] Selecting, EndpointChains Made)> _nextByChain = new(StringComparer.Ordinal);
    private Dictionary<(PolicyDefinition, bool), RenderedPolicy> _policies = new(PolicyKeyComparer.Instance);
    private Dictionary<(PolicyDefinition, bool), RenderedPolicy> _nextPolicies = new(PolicyKeyComparer.Instance);
    private RuleRenderer? _renderer;
    private PolicyTable.EndpointMaps? _maps;

    public SelectorSetCache Sets { get; } = new();

    internal static string PolicyChain(PolicyDefinition policy, bool ingress) =>
        PolicyChains.GetValue(policy, static p => [PolicyCalculator.PolicyChainName(p, ingress: false), PolicyCalculator.PolicyChainName(p, ingress: true)])[ingress ? 1 : 0];

    internal void Begin(PolicySnapshot snapshot)
    {
        Sets.Begin(snapshot);
        _next = new Dictionary<string, EndpointChains>(StringComparer.Ordinal);
        _nextByChain = new(StringComparer.Ordinal);
        _nextPolicies = new(PolicyKeyComparer.Instance);
    }

    internal void End()
    {
        Sets.End();
        _chains = _next;
        _byChain = _nextByChain;
        _policies = _nextPolicies;
    }

    /// <summary>The renderer kept across calculations, set to render this one.</summary>
    internal RuleRenderer Renderer(PolicySnapshot snapshot, PolicySets sets)
    {
        if (_renderer is null)
        {
            _renderer = new RuleRenderer(snapshot, sets);
        }
        else
        {
            _renderer.Use(snapshot, sets);
        }
        return _renderer;
    }

    /// <summary>
    /// The rules of <paramref name="policy"/>'s chain for one direction, rendered by
    /// <paramref name="render"/> (while <paramref name="sets"/> notes the sets it asks for) unless
    /// rendered before, in which case those sets are asked for again.
    /// </summary>
    internal List<NftRule> Policy(PolicyDefinition policy, bool ingress, PolicySets sets, Func<List<NftRule>> render)
    {
        if (_policies.TryGetValue((policy, ingress), out var rendered))
        {
            foreach (var use in rendered.SetUses)
            {
                use(sets);
            }
        }
        else
        {
            var uses = new List<Action<PolicySets>>();
            sets.Recording = uses;
            try
            {
                rendered = new RenderedPolicy(render(), uses);
            }
            finally
            {
                sets.Recording = null;
            }
        }
        _nextPolicies[(policy, ingress)] = rendered;
        return rendered.Rules;
    }

    /// <summary>The endpoint chain <paramref name="chain"/> made of <paramref name="selecting"/>: as last time when the same policies select it.</summary>
    internal EndpointChains Endpoint(string chain, CompiledPolicy[] selecting, Func<string> key, Func<EndpointChains> make)
    {
        var made = _byChain.TryGetValue(chain, out var last) && ReferenceEquals(last.Selecting, selecting)
            ? last.Made
            : Endpoint(key(), make);
        _nextByChain[chain] = (selecting, made);
        return made;
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

    /// <summary>
    /// The dispatch maps for these interfaces: the last calculation's objects while the node's
    /// endpoints are the same ones (most changes are elsewhere in the cluster), so the diff finds
    /// them unchanged by reference instead of making and comparing an element key per pod.
    /// </summary>
    internal PolicyTable.EndpointMaps Maps(string[] interfaces)
    {
        if (_maps is null || !_maps.Interfaces.SequenceEqual(interfaces, StringComparer.Ordinal))
        {
            _maps = PolicyTable.Maps(interfaces);
        }
        return _maps;
    }

    /// <summary>An endpoint chain's rules and its tier chains' (name, rules).</summary>
    internal sealed record EndpointChains(List<NftRule> Rules, List<(string Name, List<NftRule> Rules)> Tiers);

    private sealed record RenderedPolicy(List<NftRule> Rules, List<Action<PolicySets>> SetUses);

    // Policies by object (their records compare by value, which would be slow and wrong here: a new object is a changed policy).
    private sealed class PolicyKeyComparer : IEqualityComparer<(PolicyDefinition Policy, bool Ingress)>
    {
        public static readonly PolicyKeyComparer Instance = new();

        public bool Equals((PolicyDefinition Policy, bool Ingress) x, (PolicyDefinition Policy, bool Ingress) y) =>
            ReferenceEquals(x.Policy, y.Policy) && x.Ingress == y.Ingress;

        public int GetHashCode((PolicyDefinition Policy, bool Ingress) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Policy), obj.Ingress);
    }
}
