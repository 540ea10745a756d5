namespace RoutedNet.Felix.PolicyCounters;

/// <summary>
/// What one policy rule matched on this node since its chain was last written: packets and bytes
/// (the IP packet's length) summed over the nft rules it became (one per address family and port
/// entry). Only the first packet of a connection reaches policy (later ones are accepted as
/// established before it), so an Allow counts connections' first packets and a Deny every packet
/// it refused.
/// </summary>
/// <param name="Namespace">The policy's namespace; null for a GlobalNetworkPolicy.</param>
/// <param name="Direction">"ingress" or "egress".</param>
/// <param name="Rule">The rule's index in that direction's list.</param>
/// <param name="Action">"allow", "deny", "pass" or "log".</param>
public sealed record PolicyRuleCounter(string Tier, string? Namespace, string Name, string Direction, int Rule, string Action, ulong Packets, ulong Bytes)
{
    /// <summary>"NAMESPACE/NAME" or NAME, as explain, drops and traces print a policy.</summary>
    public string Policy => Namespace is null ? Name : Namespace + "/" + Name;
}
