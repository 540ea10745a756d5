using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>One dropped packet as `routednetctl policy drops` shows it.</summary>
public sealed record PolicyDrop
{
    public required DateTimeOffset Time { get; init; }

    public required DropDirection Direction { get; init; }

    public required DropReason Reason { get; init; }

    /// <summary>The rule id (Deny), the tier (end of tier), or empty (unknown endpoint).</summary>
    public required string Id { get; init; }

    /// <summary>"x/deny-db ingress rule 0", "tier default"; from <see cref="DropAttribution"/>, else the id.</summary>
    public string? Policy { get; init; }

    /// <summary>The local pod whose policy dropped it, "NAMESPACE/NAME", when known.</summary>
    public string? Endpoint { get; init; }

    public PacketSummary? Packet { get; init; }
}
