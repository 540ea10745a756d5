namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// Why a route of ours exists. Listed in precedence order: when two reasons want the same prefix
/// (a pod on this node and a /32 learned over BGP for it), the earlier one wins.
/// </summary>
public enum RouteKind
{
    /// <summary>A local pod: `ADDR/32 dev VETH scope link`.</summary>
    Workload,

    /// <summary>A block affine to this node: `blackhole BLOCK`.</summary>
    Blackhole,

    /// <summary>Best route(s) learned over BGP: `PREFIX via NODE [via NODE]`.</summary>
    Bgp,
}
