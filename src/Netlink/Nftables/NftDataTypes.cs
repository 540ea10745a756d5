namespace RoutedNet.Netlink.Nftables;

/// <summary>Length and byte order of each <see cref="NftDataType"/>, and how nft combines them for concatenations.</summary>
public static class NftDataTypes
{
    // nft's TYPE_BITS: a concatenation's type id is the ids shifted in, 6 bits each.
    private const int TypeBits = 6;

    /// <summary>Bytes of one value (IFNAMSIZ for names).</summary>
    public static int Length(NftDataType type) => type switch
    {
        NftDataType.Ipv4Address => 4,
        NftDataType.Ipv6Address => 16,
        NftDataType.InetProtocol => 1,
        NftDataType.InetService => 2,
        NftDataType.InterfaceName => 16,
        NftDataType.Mark => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown nft data type"),
    };

    /// <summary>Network byte order (addresses, ports, protocol numbers) versus host order (marks, names).</summary>
    public static bool IsBigEndian(NftDataType type) => type is not (NftDataType.Mark or NftDataType.InterfaceName);

    /// <summary>
    /// The key length the kernel stores: each field of a concatenation takes a whole number of
    /// 32-bit registers.
    /// </summary>
    public static int KeyLength(IReadOnlyList<NftDataType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return types.Count == 1 ? Length(types[0]) : types.Sum(t => (Length(t) + 3) & ~3);
    }

    /// <summary>The NFTA_SET_KEY_TYPE nft writes: the single id, or the ids of a concatenation shifted in 6 bits each.</summary>
    public static uint TypeId(IReadOnlyList<NftDataType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var id = 0u;
        foreach (var type in types)
        {
            id = (id << TypeBits) | (uint)type;
        }
        return id;
    }
}
