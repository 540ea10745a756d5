using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// The fixed parts of DESIGN.md "The packet path": every pod routes everything to 169.254.1.1,
/// which the host veth answers by proxy ARP; for IPv6 the gateway is the host veth's own
/// link-local address, fixed because every host veth has MAC ee:ee:ee:ee:ee:ee.
/// </summary>
internal static class PacketPath
{
    public static PhysicalAddress HostMac { get; } = PhysicalAddress.Parse("EE-EE-EE-EE-EE-EE");

    public const string HostMacText = "ee:ee:ee:ee:ee:ee";

    public static IPAddress GatewayV4 { get; } = IPAddress.Parse("169.254.1.1");

    /// <summary>The EUI-64 link-local address of MAC ee:ee:ee:ee:ee:ee (RFC 4291 §2.5.1: flip the U/L bit, insert ff:fe).</summary>
    public static IPAddress GatewayV6 { get; } = IPAddress.Parse("fe80::ecee:eeff:feee:eeee");

    public static IPNetwork GatewayV4Host { get; } = IPNetwork.Parse("169.254.1.1/32");

    public static IPNetwork DefaultV4 { get; } = IPNetwork.Parse("0.0.0.0/0");

    public static IPNetwork DefaultV6 { get; } = IPNetwork.Parse("::/0");

    /// <summary>Host veth net.ipv4.conf settings: answer ARP for others (proxy), forward, accept 127/8 sources (DNAT to localhost).</summary>
    public static IReadOnlyList<KeyValuePair<IPv4DeviceSetting, int>> HostV4Conf { get; } =
    [
        new(IPv4DeviceSetting.ProxyArp, 1),
        new(IPv4DeviceSetting.Forwarding, 1),
        new(IPv4DeviceSetting.RouteLocalnet, 1),
    ];

    /// <summary>Host veth net.ipv4.neigh proxy_delay: answer proxy ARP at once, not after a random wait.</summary>
    public static TimeSpan HostV4ProxyDelay => TimeSpan.Zero;

    /// <summary>The IPv4 settings above as the /proc/sys files that CHECK reads back (proxy_delay 0 is "0" in any unit).</summary>
    public static IReadOnlyList<HostSysctl> HostV4 { get; } =
    [
        .. HostV4Conf.Select(s => new HostSysctl(SysctlTree.IPv4Conf, s.Key.SysctlKey(), s.Value.ToString(CultureInfo.InvariantCulture))),
        new(SysctlTree.IPv4Neigh, "proxy_delay", "0"),
    ];

    /// <summary>Host veth sysctls for IPv6: proxy NDP, forward, never take the pod's router advertisements.</summary>
    public static IReadOnlyList<HostSysctl> HostV6 { get; } =
    [
        new(SysctlTree.IPv6Conf, "proxy_ndp", "1"),
        new(SysctlTree.IPv6Conf, "forwarding", "1"),
        new(SysctlTree.IPv6Conf, "accept_ra", "0"),
    ];

    /// <summary>The kernel has IPv6 (the tree exists); without it no IPv6 sysctl can be set.</summary>
    public static bool KernelHasIPv6 => Directory.Exists("/proc/sys/net/ipv6");
}
