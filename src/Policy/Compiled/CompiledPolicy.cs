using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>
/// A policy compiled once per snapshot: its tier's index, sort key, selectors and rules.
/// Construction validates it (<see cref="ResourceValidationException"/> naming the field).
/// </summary>
internal sealed class CompiledPolicy
{
    private readonly Selector _selector;
    private readonly Selector? _namespaceSelector;
    private readonly Selector? _serviceAccountSelector;

    public CompiledPolicy(PolicyDefinition definition)
    {
        Definition = definition;
        var spec = definition.Spec;
        var tier = spec.Tier ?? PolicySpec.TierDefault;
        TierIndex = IndexOfTier(tier);
        if (TierIndex < 0)
        {
            throw new ResourceValidationException($"spec.tier \"{tier}\" must be one of {string.Join(", ", PolicySpec.Tiers)}");
        }
        if (spec.Order is { } order && (double.IsNaN(order) || double.IsInfinity(order)))
        {
            throw new ResourceValidationException("spec.order must be a finite number");
        }
        _selector = CompiledEntity.Compile(spec.Selector ?? "", "spec.selector");
        if (spec.NamespaceSelector is not null)
        {
            if (definition.Namespace is not null)
            {
                throw new ResourceValidationException("spec.namespaceSelector is for GlobalNetworkPolicy; a NetworkPolicy applies to its own namespace");
            }
            _namespaceSelector = CompiledEntity.Compile(spec.NamespaceSelector, "spec.namespaceSelector");
        }
        _serviceAccountSelector = spec.ServiceAccountSelector is null ? null : CompiledEntity.Compile(spec.ServiceAccountSelector, "spec.serviceAccountSelector");
        IngressRules = [.. (spec.Ingress ?? []).Select((r, i) => new CompiledRule(r, i, definition.Namespace, $"spec.ingress[{i}]"))];
        EgressRules = [.. (spec.Egress ?? []).Select((r, i) => new CompiledRule(r, i, definition.Namespace, $"spec.egress[{i}]"))];
        (AppliesToIngress, AppliesToEgress) = Types(spec);
    }

    public PolicyDefinition Definition { get; }

    public string Id => Definition.Id;

    public int TierIndex { get; }

    public string Tier => PolicySpec.Tiers[TierIndex];

    public bool AppliesToIngress { get; }

    public bool AppliesToEgress { get; }

    public CompiledRule[] IngressRules { get; }

    public CompiledRule[] EgressRules { get; }

    /// <summary>Evaluation order inside a tier: by order (none last), then by id.</summary>
    public static int Compare(CompiledPolicy a, CompiledPolicy b)
    {
        var tier = a.TierIndex.CompareTo(b.TierIndex);
        if (tier != 0)
        {
            return tier;
        }
        var order = (a.Definition.Spec.Order ?? double.PositiveInfinity).CompareTo(b.Definition.Spec.Order ?? double.PositiveInfinity);
        return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id);
    }

    public bool Selects(PolicyEndpoint endpoint, PolicySnapshot snapshot)
    {
        if (Definition.Namespace is { } ns ? endpoint.Namespace != ns
            : _namespaceSelector is not null && !_namespaceSelector.Matches(snapshot.NamespaceLabels(endpoint.Namespace)))
        {
            return false;
        }
        return _selector.Matches(endpoint.SelectorLabels)
            && (_serviceAccountSelector is null || _serviceAccountSelector.Matches(PolicySnapshot.ServiceAccountLabels(endpoint.ServiceAccount)));
    }

    /// <summary>The tier's place in evaluation order, -1 when it is not one of <see cref="PolicySpec.Tiers"/>.</summary>
    public static int IndexOfTier(string tier)
    {
        for (var i = 0; i < PolicySpec.Tiers.Count; i++)
        {
            if (PolicySpec.Tiers[i] == tier)
            {
                return i;
            }
        }
        return -1;
    }

    // Calico's defaulting of types: Ingress, plus Egress when there are egress rules; only Egress
    // when there are egress rules and no ingress rules.
    private static (bool Ingress, bool Egress) Types(PolicySpec spec)
    {
        if (spec.Types is { Count: > 0 } types)
        {
            foreach (var type in types)
            {
                if (type is not (PolicySpec.TypeIngress or PolicySpec.TypeEgress))
                {
                    throw new ResourceValidationException($"spec.types: \"{type}\" must be Ingress or Egress");
                }
            }
            return (types.Contains(PolicySpec.TypeIngress), types.Contains(PolicySpec.TypeEgress));
        }
        var hasIngress = spec.Ingress is { Count: > 0 };
        var hasEgress = spec.Egress is { Count: > 0 };
        return hasEgress && !hasIngress ? (false, true) : (true, hasEgress);
    }
}
