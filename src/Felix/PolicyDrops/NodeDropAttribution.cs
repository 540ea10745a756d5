using System.Net;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>
/// Attribution from what the agent already holds: a rule id is the rule's comment in table inet
/// routednet ("NAMESPACE/POLICY#e0": egress rule 0), and the local pod is the node's
/// WorkloadEndpoint that has the packet's address on the dropping side.
/// </summary>
public sealed class NodeDropAttribution(NodeState node) : IDropAttribution
{
    public string? DescribeRule(string id) =>
        PolicyRuleId.TryParse(id, out var rule) ? $"{rule.Policy} {(rule.Ingress ? "ingress" : "egress")} rule {rule.Index}" : null;

    public string? EndpointOf(DropDirection direction, PacketSummary packet)
    {
        var address = direction == DropDirection.Egress ? packet.Source : packet.Destination;
        foreach (var endpoint in node.WorkloadEndpoints)
        {
            foreach (var network in endpoint.Spec.IPNetworks)
            {
                if (IPNetwork.TryParse(network, out var parsed) && parsed.BaseAddress.Equals(address))
                {
                    return $"{endpoint.Spec.Namespace}/{endpoint.Spec.Pod}";
                }
            }
        }
        return null;
    }
}
