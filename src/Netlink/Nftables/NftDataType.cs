namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// nft's data type ids for set keys (its enum datatypes), which the kernel stores as NFTA_SET_KEY_TYPE
/// only for `nft` to print elements. Lengths and byte order are in <see cref="NftDataTypes"/>.
/// </summary>
public enum NftDataType
{
    Mark = 19,
    Ipv4Address = 7,
    Ipv6Address = 8,
    InetProtocol = 12,
    InetService = 13,
    InterfaceName = 41,
}
