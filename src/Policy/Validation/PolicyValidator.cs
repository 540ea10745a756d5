using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>
/// Checks a policy kind before it is written (routednetctl apply/create): selectors parse, tiers,
/// actions, protocols, ports and CIDRs are valid, and a Kubernetes NetworkPolicy is what the API
/// server would take. Each failure is a one-line <see cref="ResourceValidationException"/> naming
/// the field; the store then prefixes the object. Other kinds pass untouched.
/// </summary>
public static class PolicyValidator
{
    public static void Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        switch (resource)
        {
            case NetworkPolicy policy:
                if (policy.Name.StartsWith(KubernetesPolicyConversion.NamePrefix, StringComparison.Ordinal))
                {
                    throw new ResourceValidationException(
                        $"metadata.name \"{policy.Name}\": names starting \"{KubernetesPolicyConversion.NamePrefix}\" belong to converted Kubernetes NetworkPolicies");
                }
                _ = new CompiledPolicy(PolicyDefinition.From(policy));
                break;
            case GlobalNetworkPolicy policy:
                _ = new CompiledPolicy(PolicyDefinition.From(policy));
                break;
            case KubernetesNetworkPolicy policy:
                ValidateKubernetes(policy.Spec);
                _ = new CompiledPolicy(PolicyDefinition.From(policy));
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// What is valid but likely not meant, one line each: a direction whose rules are all Log
    /// isolates the pods the policy selects (Calico's semantics, calico#3801).
    /// </summary>
    public static IEnumerable<string> Warnings(Resource resource)
    {
        var spec = resource switch
        {
            NetworkPolicy p => p.Spec,
            GlobalNetworkPolicy g => g.Spec,
            _ => null,
        };
        if (spec is null)
        {
            yield break;
        }
        foreach (var (direction, rules) in new[] { ("ingress", spec.Ingress), ("egress", spec.Egress) })
        {
            if (rules is { Count: > 0 } && rules.All(r => r.Action == PolicyRule.ActionLog))
            {
                yield return $"every {direction} rule is Log, which decides nothing: the pods it selects are denied {direction} at the end of tier {spec.Tier ?? PolicySpec.TierDefault} unless another policy there allows or passes it";
            }
        }
    }

    private static void ValidateKubernetes(KubernetesNetworkPolicySpec spec)
    {
        LabelSelector("spec.podSelector", spec.PodSelector);
        foreach (var type in spec.PolicyTypes ?? [])
        {
            if (type is not (PolicySpec.TypeIngress or PolicySpec.TypeEgress))
            {
                throw new ResourceValidationException($"spec.policyTypes: \"{type}\" must be Ingress or Egress");
            }
        }
        for (var i = 0; i < (spec.Ingress?.Count ?? 0); i++)
        {
            Peers($"spec.ingress[{i}].from", spec.Ingress![i].From);
            Ports($"spec.ingress[{i}].ports", spec.Ingress[i].Ports);
        }
        for (var i = 0; i < (spec.Egress?.Count ?? 0); i++)
        {
            Peers($"spec.egress[{i}].to", spec.Egress![i].To);
            Ports($"spec.egress[{i}].ports", spec.Egress[i].Ports);
        }
    }

    private static void Peers(string field, IReadOnlyList<KubernetesPeer>? peers)
    {
        for (var i = 0; i < (peers?.Count ?? 0); i++)
        {
            var peer = peers![i];
            var at = $"{field}[{i}]";
            if (peer.IpBlock is { } block)
            {
                if (peer.PodSelector is not null || peer.NamespaceSelector is not null)
                {
                    throw new ResourceValidationException($"{at}: ipBlock cannot be combined with podSelector or namespaceSelector");
                }
                if (!block.Cidr.Contains('/', StringComparison.Ordinal) || !Nets.TryParse(block.Cidr, out var cidr))
                {
                    throw new ResourceValidationException($"{at}.ipBlock.cidr \"{block.Cidr}\" is not a CIDR");
                }
                for (var e = 0; e < (block.Except?.Count ?? 0); e++)
                {
                    var text = block.Except![e];
                    if (!text.Contains('/', StringComparison.Ordinal) || !Nets.TryParse(text, out var except))
                    {
                        throw new ResourceValidationException($"{at}.ipBlock.except[{e}] \"{text}\" is not a CIDR");
                    }
                    if (except.PrefixLength <= cidr.PrefixLength || !cidr.Contains(except.BaseAddress))
                    {
                        throw new ResourceValidationException($"{at}.ipBlock.except[{e}] {text} must be a strict subset of cidr {block.Cidr}");
                    }
                }
                continue;
            }
            if (peer.PodSelector is null && peer.NamespaceSelector is null)
            {
                throw new ResourceValidationException($"{at}: give podSelector, namespaceSelector or ipBlock");
            }
            LabelSelector($"{at}.podSelector", peer.PodSelector);
            LabelSelector($"{at}.namespaceSelector", peer.NamespaceSelector);
        }
    }

    private static void Ports(string field, IReadOnlyList<KubernetesPort>? ports)
    {
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i];
            var at = $"{field}[{i}]";
            if (port.Protocol is not (null or "TCP" or "UDP" or "SCTP"))
            {
                throw new ResourceValidationException($"{at}.protocol \"{port.Protocol}\" must be TCP, UDP or SCTP");
            }
            if (port.Port is { } value && !PortMatch.TryParse(value, out _, out var error))
            {
                throw new ResourceValidationException($"{at}.port: {error}");
            }
            if (port.Port?.StringValue is { } named && named.Contains(':', StringComparison.Ordinal))
            {
                throw new ResourceValidationException($"{at}.port \"{named}\": use port and endPort for a range");
            }
            if (port.EndPort is { } end)
            {
                if (port.Port?.IntValue is not { } start)
                {
                    throw new ResourceValidationException($"{at}.endPort needs a numeric port");
                }
                if (end < start || end > 65535)
                {
                    throw new ResourceValidationException($"{at}.endPort {end} must be between port {start} and 65535");
                }
            }
        }
    }

    private static void LabelSelector(string field, LabelSelector? selector)
    {
        try
        {
            Selector.FromLabelSelector(selector);
        }
        catch (SelectorException e)
        {
            throw new ResourceValidationException($"{field}: {e.Message}", e);
        }
    }
}
