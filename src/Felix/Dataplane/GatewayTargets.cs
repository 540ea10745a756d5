using System.Net;

namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// One shared <see cref="RouteTarget"/> per set of next hops. A full table learned over BGP is a
/// million prefixes via a handful of peers: sharing the target keeps one object per next hop instead
/// of one (with its gateway array) per route in each of the reconciler's tables, and lets equality
/// checks stop at the reference. Not thread-safe: each user keeps its own.
/// </summary>
public sealed class GatewayTargets
{
    private readonly Dictionary<IPAddress, RouteTarget> _single = [];

    /// <summary>The target `via` these next hops (at least one).</summary>
    public RouteTarget Via(IReadOnlyList<IPAddress> gateways)
    {
        if (gateways.Count != 1)
        {
            return RouteTarget.Via(gateways);
        }
        var gateway = gateways[0];
        if (!_single.TryGetValue(gateway, out var target))
        {
            _single[gateway] = target = RouteTarget.Via(gateways);
        }
        return target;
    }
}
