namespace RoutedNet.Netlink.Nftables;

/// <summary>cmp operators (enum nft_cmp_ops).</summary>
public enum NftCompareOp
{
    Equal = 0,
    NotEqual = 1,
    LessThan = 2,
    LessOrEqual = 3,
    GreaterThan = 4,
    GreaterOrEqual = 5,
}
