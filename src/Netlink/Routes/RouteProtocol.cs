namespace RoutedNet.Netlink;

/// <summary>
/// Who installed a route (RTPROT_* in linux/rtnetlink.h), `proto` in `ip route`. Values from 4 up
/// are not interpreted by the kernel; any byte is valid, e.g. <c>(RouteProtocol)80</c>. RoutedNet
/// marks its own routes with <see cref="RoutedNet"/> so it never touches a route it did not make.
/// </summary>
public enum RouteProtocol : byte
{
    Unspecified = 0,
    Redirect = 1,
    Kernel = 2,
    Boot = 3,
    Static = 4,
    Ra = 9,
    Zebra = 11,
    Bird = 12,
    Dhcp = 16,
    Keepalived = 18,
    Babel = 42,

    /// <summary>RoutedNet's own routes (pod /32s, blackholes for owned blocks, BGP-learned blocks).</summary>
    RoutedNet = 80,
    Bgp = 186,
    Isis = 187,
    Ospf = 188,
    Rip = 189,
    Eigrp = 192,
}
