using System.Net;
using RoutedNet.Netlink;
using NetlinkRouteType = RoutedNet.Netlink.RouteType;

namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// The <see cref="RouteTarget"/> of a route read back from the kernel, in the canonical shape the
/// reconciler writes (a gateway route without the device the kernel resolved), so that desired and
/// actual compare equal. A read-back of a route of ours whose target was seen at this read or the
/// one before returns that instance, compared in place against the kernel's message: a node's
/// routes share few targets (one per next-hop set and one per pod veth), and a target per route per
/// read-back was most of an idle agent's garbage. Targets not seen for a whole read-back are
/// dropped, so the cache holds what the kernel holds. Routes of other owners (few: connected
/// subnets, a default route) are built each time. Not thread-safe: one reader at a time.
/// </summary>
internal sealed class KernelTargets
{
    private Dictionary<int, RouteTarget> _seen = [];
    private Dictionary<int, RouteTarget> _seenBefore = [];

    /// <summary>Starts a read-back: what the one before it saw stays available, what neither saw goes.</summary>
    public void BeginScan()
    {
        (_seen, _seenBefore) = (_seenBefore, _seen);
        _seen.Clear();
    }

    /// <summary>The target of <paramref name="route"/>; <paramref name="names"/> maps interface indexes to names.</summary>
    public RouteTarget Of(in RouteMessage route, IReadOnlyDictionary<int, string> names)
    {
        if (route.Protocol != RouteProtocol.RoutedNet || route.Type == NetlinkRouteType.Blackhole)
        {
            return Build(route, names);
        }
        var key = Key(route);
        if ((_seen.TryGetValue(key, out var known) || _seenBefore.TryGetValue(key, out known)) && Equal(known, route, names))
        {
            _seen[key] = known;
            return known;
        }
        var target = Build(route, names);
        _seen[key] = target;
        return target;
    }

    /// <summary>The conversion itself (allocates): every route of another owner, and ours when first seen.</summary>
    private static RouteTarget Build(in RouteMessage route, IReadOnlyDictionary<int, string> names)
    {
        var type = route.Type switch
        {
            NetlinkRouteType.Unicast => RouteType.Unicast,
            NetlinkRouteType.Blackhole => RouteType.Blackhole,
            _ => RouteType.Other,
        };
        var gateways = new List<IPAddress>();
        if (!route.Gateway.IsEmpty)
        {
            gateways.Add(new IPAddress(route.Gateway));
        }
        else
        {
            foreach (var hop in route.Nexthops)
            {
                if (!hop.Gateway.IsEmpty)
                {
                    gateways.Add(new IPAddress(hop.Gateway));
                }
            }
        }
        var device = route.LinkIndex != 0 ? names.GetValueOrDefault(route.LinkIndex, $"if{route.LinkIndex}") : null;
        if (route.Protocol != RouteProtocol.RoutedNet)
        {
            return RouteTarget.Foreign(type, device, gateways);
        }
        return type switch
        {
            RouteType.Blackhole => RouteTarget.Blackhole,
            _ when gateways.Count > 0 => RouteTarget.Via(gateways),
            _ when device is not null => RouteTarget.ToDevice(device),
            _ => RouteTarget.Foreign(type, device, gateways),
        };
    }

    /// <summary>
    /// What <see cref="Build"/> looks at for a route of ours, hashed: the gateways (in any order, as
    /// the kernel may list next hops in another order than they were written) or else the interface.
    /// </summary>
    private static int Key(in RouteMessage route)
    {
        var gateways = 0;
        var count = 0;
        if (!route.Gateway.IsEmpty)
        {
            gateways = Hash(route.Gateway);
            count = 1;
        }
        else
        {
            foreach (var hop in route.Nexthops)
            {
                if (!hop.Gateway.IsEmpty)
                {
                    gateways += Hash(hop.Gateway);
                    count++;
                }
            }
        }
        return count > 0 ? HashCode.Combine(gateways, count) : HashCode.Combine(route.Type, route.LinkIndex);
    }

    private static int Hash(ReadOnlySpan<byte> address)
    {
        var hash = new HashCode();
        hash.AddBytes(address);
        return hash.ToHashCode();
    }

    /// <summary>Whether <see cref="Build"/> would make a target equal to <paramref name="known"/> (a hash can collide).</summary>
    private static bool Equal(RouteTarget known, in RouteMessage route, IReadOnlyDictionary<int, string> names)
    {
        if (known.Type != RouteType.Unicast)
        {
            return false;
        }
        if (!route.Gateway.IsEmpty)
        {
            return known.Device is null && known.Gateways.Count == 1 && SameAddress(known.Gateways[0], route.Gateway);
        }
        var any = false;
        foreach (var hop in route.Nexthops)
        {
            if (!hop.Gateway.IsEmpty)
            {
                any = true;
                if (!Contains(known.Gateways, hop.Gateway))
                {
                    return false;
                }
            }
        }
        if (any)
        {
            // Every gateway of the message is in the target; and every one of the target in the message.
            // (Indexed: a foreach over the list interface would allocate an enumerator per route.)
            for (var i = 0; i < known.Gateways.Count; i++)
            {
                if (!InMessage(known.Gateways[i], route))
                {
                    return false;
                }
            }
            return known.Device is null;
        }
        return route.Type == NetlinkRouteType.Unicast
            && known.Gateways.Count == 0
            && route.LinkIndex != 0
            && names.TryGetValue(route.LinkIndex, out var name)
            && string.Equals(known.Device, name, StringComparison.Ordinal);
    }

    private static bool Contains(IReadOnlyList<IPAddress> gateways, ReadOnlySpan<byte> address)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            if (SameAddress(gateways[i], address))
            {
                return true;
            }
        }
        return false;
    }

    private static bool InMessage(IPAddress gateway, in RouteMessage route)
    {
        foreach (var hop in route.Nexthops)
        {
            if (!hop.Gateway.IsEmpty && SameAddress(gateway, hop.Gateway))
            {
                return true;
            }
        }
        return false;
    }

    private static bool SameAddress(IPAddress address, ReadOnlySpan<byte> octets)
    {
        Span<byte> bytes = stackalloc byte[16];
        return address.TryWriteBytes(bytes, out var written) && bytes[..written].SequenceEqual(octets);
    }
}
