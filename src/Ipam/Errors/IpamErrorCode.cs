namespace RoutedNet.Ipam;

/// <summary>Why an IPAM operation failed; the CNI role maps these to spec error codes.</summary>
public enum IpamErrorCode
{
    /// <summary>No selected pool has a free address this node may take.</summary>
    NoAddressAvailable,

    /// <summary>No enabled pool of the family matches the node or the configured pool names.</summary>
    NoMatchingPool,

    /// <summary>A requested address is held by someone else.</summary>
    AddressInUse,

    /// <summary>A requested address is outside every pool, or inside a reserved range.</summary>
    AddressNotAvailable,

    /// <summary>The request itself is wrong (bad selector, unknown pool, mixed families).</summary>
    InvalidRequest,

    /// <summary>Every retry of a compare-and-swap lost a race; nothing was written.</summary>
    TooManyConflicts,
}
