using System.Net;

namespace RoutedNet.Netlink;

/// <summary>
/// One path of a multipath (ECMP) route: `nexthop via GW dev IF weight W [onlink]`. The kernel
/// stores weight − 1 in rtnh_hops, so weights run 1..256.
/// </summary>
public sealed record Nexthop
{
    public IPAddress? Gateway { get; init; }

    public int LinkIndex { get; init; }

    public int Weight { get; init; } = 1;

    public bool OnLink { get; init; }
}
