namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// What one shared policy chain (p-HASH-i / p-HASH-e) enforces: the policy, its tier, the
/// direction and the action of each of its rules (by index). The calculator records it beside the
/// chain, so the rule counters read from the kernel are labelled with what the user wrote (the
/// chain name is a hash, and a comment longer than nft's 127 bytes loses the front of its id).
/// </summary>
/// <param name="Namespace">The policy's namespace; null for a GlobalNetworkPolicy.</param>
/// <param name="Actions">Allow, Deny, Pass or Log, one per rule of the direction.</param>
public sealed record PolicyChainInfo(string Tier, string? Namespace, string Name, bool Ingress, IReadOnlyList<string> Actions)
{
    /// <summary>"NAMESPACE/NAME" or NAME, as explain, drops and traces print a policy.</summary>
    public string Id => Namespace is null ? Name : Namespace + "/" + Name;
}
