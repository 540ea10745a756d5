using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>
/// Names what the enforcement knows about a drop: the policy rule behind an id, and the local pod
/// that owns the packet's address on the dropping side. Implemented by the policy dataplane.
/// </summary>
public interface IDropAttribution
{
    /// <summary>"x/deny-db ingress rule 0" for a rule id; null when the id is unknown (a rule since replaced).</summary>
    string? DescribeRule(string id);

    /// <summary>"NAMESPACE/NAME" of the local endpoint that has <paramref name="packet"/>'s source (egress) or destination (ingress).</summary>
    string? EndpointOf(DropDirection direction, PacketSummary packet);
}
