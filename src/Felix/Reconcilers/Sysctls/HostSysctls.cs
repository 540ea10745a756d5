namespace RoutedNet.Felix.Reconcilers.Sysctls;

/// <summary>
/// The kernel settings a routed node needs, as paths under /proc/sys. The per-veth set matches
/// what the CNI plugin sets on ADD (DESIGN.md "The packet path"): proxy ARP/NDP so the host side
/// answers the pod's 169.254.1.1 gateway, no proxy delay, forwarding on, no router advertisements.
/// </summary>
public static class HostSysctls
{
    public static IReadOnlyDictionary<string, string> Global { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["net/ipv4/ip_forward"] = "1",
        ["net/ipv6/conf/all/forwarding"] = "1",
    };

    public static IReadOnlyDictionary<string, string> ForHostVeth(string device, bool ipv4, bool ipv6)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ipv4)
        {
            values[$"net/ipv4/conf/{device}/proxy_arp"] = "1";
            values[$"net/ipv4/neigh/{device}/proxy_delay"] = "0";
            values[$"net/ipv4/conf/{device}/forwarding"] = "1";
            values[$"net/ipv4/conf/{device}/route_localnet"] = "1";
        }
        if (ipv6)
        {
            values[$"net/ipv6/conf/{device}/proxy_ndp"] = "1";
            values[$"net/ipv6/conf/{device}/forwarding"] = "1";
            values[$"net/ipv6/conf/{device}/accept_ra"] = "0";
        }
        return values;
    }
}
