namespace RoutedNet.Netlink;

/// <summary>The per-interface sysctl directories under /proc/sys/net.</summary>
public enum SysctlTree
{
    /// <summary>net/ipv4/conf/IF: proxy_arp, forwarding, route_localnet, rp_filter, ...</summary>
    IPv4Conf,

    /// <summary>net/ipv6/conf/IF: forwarding, proxy_ndp, accept_ra, accept_dad, disable_ipv6, ...</summary>
    IPv6Conf,

    /// <summary>net/ipv4/neigh/IF: proxy_delay, ...</summary>
    IPv4Neigh,

    /// <summary>net/ipv6/neigh/IF: proxy_delay, ...</summary>
    IPv6Neigh,
}
