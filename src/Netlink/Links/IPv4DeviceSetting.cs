namespace RoutedNet.Netlink;

/// <summary>
/// net.ipv4.conf.IF.* settings that <see cref="NetlinkHandle.SetIPv4DeviceSettings"/> can set over
/// rtnetlink; values are IPV4_DEVCONF_* of linux/ip.h.
/// </summary>
public enum IPv4DeviceSetting
{
    /// <summary>forwarding</summary>
    Forwarding = 1,

    /// <summary>proxy_arp</summary>
    ProxyArp = 3,

    /// <summary>route_localnet</summary>
    RouteLocalnet = 26,
}

/// <summary>The /proc/sys spelling of an <see cref="IPv4DeviceSetting"/>.</summary>
public static class IPv4DeviceSettings
{
    /// <summary>The file name under /proc/sys/net/ipv4/conf/IF/, e.g. "proxy_arp".</summary>
    public static string SysctlKey(this IPv4DeviceSetting setting) => setting switch
    {
        IPv4DeviceSetting.Forwarding => "forwarding",
        IPv4DeviceSetting.ProxyArp => "proxy_arp",
        IPv4DeviceSetting.RouteLocalnet => "route_localnet",
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };
}
