using System.Net;
using System.Net.NetworkInformation;

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

    /// <summary>Host veth sysctls for IPv4: answer every ARP at once, forward, accept 127/8 sources (DNAT to localhost).</summary>
    public static IReadOnlyList<HostSysctl> HostV4 { get; } =
    [
        new(Netlink.SysctlTree.IPv4Conf, "proxy_arp", "1"),
        new(Netlink.SysctlTree.IPv4Neigh, "proxy_delay", "0"),
        new(Netlink.SysctlTree.IPv4Conf, "forwarding", "1"),
        new(Netlink.SysctlTree.IPv4Conf, "route_localnet", "1"),
    ];

    /// <summary>Host veth sysctls for IPv6: proxy NDP, forward, never take the pod's router advertisements.</summary>
    public static IReadOnlyList<HostSysctl> HostV6 { get; } =
    [
        new(Netlink.SysctlTree.IPv6Conf, "proxy_ndp", "1"),
        new(Netlink.SysctlTree.IPv6Conf, "forwarding", "1"),
        new(Netlink.SysctlTree.IPv6Conf, "accept_ra", "0"),
    ];

    /// <summary>The kernel has IPv6 (the tree exists); without it no IPv6 sysctl can be set.</summary>
    public static bool KernelHasIPv6 => Directory.Exists("/proc/sys/net/ipv6");
}
