namespace RoutedNet.Netlink.Nftables;

/// <summary>The netfilter hooks of the inet family a base chain attaches to (NF_INET_*).</summary>
public enum NftHook
{
    PreRouting = 0,
    Input = 1,
    Forward = 2,
    Output = 3,
    PostRouting = 4,
}
