namespace RoutedNet.Netlink.Nftables;

/// <summary>Where a payload offset counts from (enum nft_payload_bases).</summary>
public enum NftPayloadBase
{
    LinkLayer = 0,
    Network = 1,
    Transport = 2,
}
