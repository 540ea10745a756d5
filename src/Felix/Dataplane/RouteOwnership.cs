using RoutedNet.Netlink;

namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// Which kernel routes are ours and, for ours, which reason they belong to. The CNI plugin and the
/// agent both mark routes with protocol 80 (<see cref="RouteProtocol.RoutedNet"/>): the agent only
/// ever changes or removes routes with that number, and after a restart it finds all of its own by
/// it. A route's shape tells its kind: a blackhole is a block of ours, a device route is a pod's,
/// a gateway route was learned over BGP. Sweeping uses the kind so that, say, stale BGP routes are
/// kept until BGP has re-learned, independently of the datastore.
/// </summary>
public static class RouteOwnership
{
    public const byte Protocol = (byte)RouteProtocol.RoutedNet;

    public static RouteKind Classify(RouteTarget target) => target switch
    {
        { Type: RouteType.Blackhole } => RouteKind.Blackhole,
        { Gateways.Count: > 0 } => RouteKind.Bgp,
        _ => RouteKind.Workload,
    };
}
