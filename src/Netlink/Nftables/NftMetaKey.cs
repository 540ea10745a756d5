namespace RoutedNet.Netlink.Nftables;

/// <summary>The meta keys our rules use (enum nft_meta_keys values).</summary>
public enum NftMetaKey
{
    Mark = 3,
    InputInterfaceName = 6,
    OutputInterfaceName = 7,

    /// <summary>`meta nftrace`: set to 1, the packet's walk is reported as trace events.</summary>
    NfTrace = 12,
    NetfilterProtocol = 15,
    Layer4Protocol = 16,
}
