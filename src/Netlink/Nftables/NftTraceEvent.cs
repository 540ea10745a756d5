using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// One step of a packet through nf_tables, as `nft monitor trace` prints it: every event of one
/// packet's walk through one hook shares <see cref="Id"/>; the first of them carries the packet's headers.
/// </summary>
public sealed record NftTraceEvent
{
    public required uint Id { get; init; }

    public required NftTraceType Type { get; init; }

    public required string Table { get; init; }

    public required string Chain { get; init; }

    /// <summary>The rule that matched (a <see cref="NftTraceType.Rule"/> step).</summary>
    public ulong? RuleHandle { get; init; }

    public NftVerdict? Verdict { get; init; }

    /// <summary>The base chain policy that decided (a <see cref="NftTraceType.Policy"/> step): NF_ACCEPT or NF_DROP.</summary>
    public int? Policy { get; init; }

    /// <summary>Whether the base chain policy that decided accepted (null for a rule or return step).</summary>
    public bool? PolicyAccepted => Policy is { } p ? p == Interop.NfTables.NF_ACCEPT : null;

    public uint? InputInterface { get; init; }

    public uint? OutputInterface { get; init; }

    public uint? Mark { get; init; }

    /// <summary>NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10).</summary>
    public byte? NetfilterFamily { get; init; }

    /// <summary>The packet, on the first event of its walk.</summary>
    public PacketSummary? Packet { get; init; }

    /// <summary>`trace id 1a2b inet routednet fw-rn12 rule handle 7 verdict return`, nft monitor's wording.</summary>
    public override string ToString()
    {
        var head = $"trace id {Id:x8} inet {Table} {Chain}";
        return Type switch
        {
            NftTraceType.Rule => $"{head} rule handle {RuleHandle} verdict {Verdict}",
            NftTraceType.Return => $"{head} verdict return",
            _ => $"{head} policy {(PolicyAccepted == true ? "accept" : "drop")}",
        };
    }
}
