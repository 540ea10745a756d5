using System.Net;

namespace RoutedNet.Ipam.Allocation;

/// <summary>What one attachment asks for: how many addresses of each family, or specific ones, for one handle.</summary>
public sealed record AllocationRequest
{
    /// <summary>Holds every address of the attachment; release by this id frees them together.</summary>
    public required string HandleId { get; init; }

    /// <summary>The node that allocates: its blocks come first, new blocks get its affinity.</summary>
    public required string Node { get; init; }

    public int IPv4Count { get; init; }

    public int IPv6Count { get; init; }

    /// <summary>Pools by name or CIDR; empty means every enabled pool whose nodeSelector matches the node.</summary>
    public IReadOnlyList<string> Pools { get; init; } = [];

    /// <summary>Specific addresses; a family with any of these gets exactly these instead of automatic ones.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>Ranges never handed out automatically nor on request.</summary>
    public IReadOnlyList<IPNetwork> Reserved { get; init; } = [];

    /// <summary>Who the addresses are for: see <see cref="AttributeKeys"/>.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
