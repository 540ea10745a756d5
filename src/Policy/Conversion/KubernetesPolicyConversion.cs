using System.Globalization;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>
/// A networking.k8s.io/v1 NetworkPolicy as the routednet NetworkPolicy Calico would make of it:
/// same namespace, name <c>knp.default.NAME</c> (a routednet.io name cannot collide: users' names
/// may not start "knp.default." — PolicyValidator refuses it), tier default, order 1000, Allow rules only.
/// Each Kubernetes rule becomes one rule per (peer × protocol of its ports): Calico rules have one
/// protocol, and a rule with several peers allows any of them.
/// </summary>
public static class KubernetesPolicyConversion
{
    public const string NamePrefix = "knp.default.";
    public const double Order = 1000;

    public static NetworkPolicy Convert(KubernetesNetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var spec = policy.Spec;
        var ingress = (spec.Ingress ?? []).SelectMany(r => Rules(r.From, r.Ports, PolicyDirection.Ingress)).ToList();
        var egress = (spec.Egress ?? []).SelectMany(r => Rules(r.To, r.Ports, PolicyDirection.Egress)).ToList();
        return new NetworkPolicy
        {
            Metadata = new ObjectMeta
            {
                Name = NamePrefix + policy.Name,
                Namespace = policy.Metadata.Namespace ?? "default",
                ResourceVersion = policy.Metadata.ResourceVersion,
                Uid = policy.Metadata.Uid,
            },
            Spec = new PolicySpec
            {
                Tier = PolicySpec.TierDefault,
                Order = Order,
                Selector = Selector.FromLabelSelector(spec.PodSelector).Text,
                Types = TypesOf(spec),
                Ingress = ingress,
                Egress = egress,
            },
        };
    }

    /// <summary>Kubernetes' defaulting: the given policyTypes, else Ingress plus Egress when there are egress rules.</summary>
    public static IReadOnlyList<string> TypesOf(KubernetesNetworkPolicySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.PolicyTypes is { Count: > 0 } given)
        {
            return given;
        }
        return spec.Egress is { Count: > 0 } ? [PolicySpec.TypeIngress, PolicySpec.TypeEgress] : [PolicySpec.TypeIngress];
    }

    private static IEnumerable<PolicyRule> Rules(IReadOnlyList<KubernetesPeer>? peers, IReadOnlyList<KubernetesPort>? ports, PolicyDirection direction)
    {
        // No peers (or an empty list): any peer. No ports: any port of any protocol.
        IReadOnlyList<EntityRule?> ends = peers is { Count: > 0 } ? [.. peers.Select(Peer)] : [null];
        var byProtocol = PortsByProtocol(ports);
        foreach (var end in ends)
        {
            if (byProtocol is null)
            {
                yield return Rule(direction, null, end, null);
                continue;
            }
            foreach (var (protocol, numbers) in byProtocol)
            {
                yield return Rule(direction, protocol, end, numbers);
            }
        }
    }

    // The remote end is the peer; the ports belong to the destination (the selected pod for
    // ingress, the peer for egress).
    private static PolicyRule Rule(PolicyDirection direction, string? protocol, EntityRule? peer, List<IntOrString>? ports)
    {
        var portsEnd = ports is null ? null : new EntityRule { Ports = ports };
        return direction == PolicyDirection.Ingress
            ? new PolicyRule
            {
                Action = PolicyRule.ActionAllow,
                Protocol = protocol is null ? null : new IntOrString(protocol),
                Source = peer,
                Destination = portsEnd,
            }
            : new PolicyRule
            {
                Action = PolicyRule.ActionAllow,
                Protocol = protocol is null ? null : new IntOrString(protocol),
                Destination = peer is null ? portsEnd : peer with { Ports = ports },
            };
    }

    // Ports grouped by protocol in first-seen order; a port entry without a port number allows the
    // whole protocol (an empty list here stands for "every port"). Null: no ports given at all.
    private static List<(string Protocol, List<IntOrString>? Ports)>? PortsByProtocol(IReadOnlyList<KubernetesPort>? ports)
    {
        if (ports is not { Count: > 0 })
        {
            return null;
        }
        var groups = new List<(string Protocol, List<IntOrString>? Ports)>();
        foreach (var port in ports)
        {
            var protocol = string.IsNullOrEmpty(port.Protocol) ? "TCP" : port.Protocol;
            var index = groups.FindIndex(g => g.Protocol == protocol);
            if (port.Port is null)
            {
                // The whole protocol: it absorbs any numbered ports of the same protocol.
                if (index < 0)
                {
                    groups.Add((protocol, null));
                }
                else
                {
                    groups[index] = (protocol, null);
                }
                continue;
            }
            var value = port.EndPort is { } end && port.Port.IntValue is { } start
                ? new IntOrString(string.Create(CultureInfo.InvariantCulture, $"{start}:{end}"))
                : port.Port;
            if (index < 0)
            {
                groups.Add((protocol, [value]));
            }
            else
            {
                groups[index].Ports?.Add(value);
            }
        }
        return groups;
    }

    private static EntityRule Peer(KubernetesPeer peer)
    {
        if (peer.IpBlock is { } block)
        {
            return new EntityRule
            {
                Nets = [block.Cidr],
                NotNets = block.Except is { Count: > 0 } except ? except : null,
            };
        }
        // podSelector alone: pods of the policy's own namespace (a NetworkPolicy's rule selector
        // without namespaceSelector means exactly that). namespaceSelector (alone or with a
        // podSelector): those namespaces' pods.
        return new EntityRule
        {
            Selector = Selector.FromLabelSelector(peer.PodSelector).Text,
            NamespaceSelector = peer.NamespaceSelector is null ? null : Selector.FromLabelSelector(peer.NamespaceSelector).Text,
        };
    }
}
