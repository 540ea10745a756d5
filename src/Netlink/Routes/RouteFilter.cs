using System.Net;
using System.Net.Sockets;

namespace RoutedNet.Netlink;

/// <summary>
/// Which routes <see cref="NetlinkHandle.ListRoutes"/> returns; a null field matches all (so the default
/// is `ip route show table all` for both families). Cloned (cache) routes are never returned.
/// </summary>
public sealed record RouteFilter
{
    /// <summary>InterNetwork or InterNetworkV6.</summary>
    public AddressFamily? Family { get; init; }

    public uint? Table { get; init; }

    public RouteProtocol? Protocol { get; init; }

    public RouteType? Type { get; init; }

    /// <summary>Routes whose RTA_OIF (or any nexthop's) is this link.</summary>
    public int? LinkIndex { get; init; }

    /// <summary>Only routes to exactly this prefix.</summary>
    public IPNetwork? Destination { get; init; }
}
