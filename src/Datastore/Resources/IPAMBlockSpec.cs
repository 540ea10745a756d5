namespace RoutedNet.Datastore.Resources;

/// <summary>
/// Allocation state of one block. Ordinals index the block's addresses (0 = the block's first
/// address). The IPAM library owns the meaning of these fields and may extend this record.
/// </summary>
public sealed record IPAMBlockSpec
{
    /// <summary>The block's range, e.g. <c>10.244.3.0/24</c>.</summary>
    public string Cidr { get; init => field = value ?? ""; } = "";

    /// <summary>Owner, <c>host:NODE</c>, or null for a block no node holds.</summary>
    public string? Affinity { get; init; }

    /// <summary>One entry per ordinal: null when free, else an index into <see cref="Attributes"/>.</summary>
    public IReadOnlyList<int?> Allocations { get; init => field = value ?? []; } = [];

    /// <summary>Free ordinals in the order they are to be handed out (longest-free first).</summary>
    public IReadOnlyList<int> Unallocated { get; init => field = value ?? []; } = [];

    /// <summary>Who holds the allocations that point here.</summary>
    public IReadOnlyList<AllocationAttribute> Attributes { get; init => field = value ?? []; } = [];

    /// <summary>Ordinals released recently, with when; they wait out the release cool-down.</summary>
    public IReadOnlyList<ReleasedOrdinal> Released { get; init => field = value ?? []; } = [];

    /// <summary>Set while the block is being torn down, so that no one allocates from it.</summary>
    public bool Deleted { get; init; }
}
