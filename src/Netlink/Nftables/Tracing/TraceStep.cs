using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Netlink.Nftables.Tracing;

/// <summary>
/// One step of a traced packet mapped back to policy: chain "fw-rn12ab" rule "p3-e#0" (what the
/// rule's comment says) with its verdict, or a base chain's policy.
/// </summary>
public sealed record TraceStep
{
    public required uint PacketId { get; init; }

    public required string Table { get; init; }

    public required string Chain { get; init; }

    /// <summary>The matching rule's comment: the policy rule id for RoutedNet's rules; null when it had none or for a policy/return step.</summary>
    public string? Rule { get; init; }

    /// <summary>"accept", "drop", "return", "jump -> fw-rn12ab", "continue", or "policy accept".</summary>
    public required string Verdict { get; init; }

    /// <summary>The packet, on the first step of its walk through a hook.</summary>
    public PacketSummary? Packet { get; init; }

    /// <summary>What the rule id names (policy and rule), when the enforcement knows it.</summary>
    public string? Policy { get; init; }
}
