namespace RoutedNet.Netlink.Netfilter;

/// <summary>One packet a `log group N prefix "…"` statement sent to userspace.</summary>
public sealed record NfLogPacket
{
    /// <summary>The rule's prefix: RoutedNet puts the short id of the policy rule there.</summary>
    public required string Prefix { get; init; }

    /// <summary>The netfilter hook it was logged at (NF_INET_FORWARD 2, NF_INET_LOCAL_IN 1, …).</summary>
    public required byte Hook { get; init; }

    public uint? InputInterface { get; init; }

    public uint? OutputInterface { get; init; }

    public uint? Mark { get; init; }

    /// <summary>When the kernel stamped it; null when the kernel gave no timestamp.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Its addresses, protocol and ports; null for what is not IPv4/IPv6.</summary>
    public PacketSummary? Packet { get; init; }
}
