namespace RoutedNet.Netlink.Nftables;

/// <summary>The meta keys our rules use (enum nft_meta_keys values).</summary>
public enum NftMetaKey
{
    Mark = 3,
    InputInterfaceName = 6,
    OutputInterfaceName = 7,
    NetfilterProtocol = 15,
    Layer4Protocol = 16,
}
