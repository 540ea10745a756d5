namespace RoutedNet.Datastore.Resources;

public sealed record IPAMConfigSpec
{
    /// <summary>The one IPAMConfig object the IPAM library reads.</summary>
    public const string DefaultName = "default";

    /// <summary>When true a node never borrows an address from another node's block.</summary>
    public bool StrictAffinity { get; init; }

    /// <summary>How many blocks one node may claim; 0 means unlimited.</summary>
    public int MaxBlocksPerHost { get; init; }

    /// <summary>A released address is not handed out again for this many seconds (0 = at once).</summary>
    public int ReleaseCooldownSeconds { get; init; }
}
