using System.Net;
using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using RoutedNet.Felix.Bgp.GoBgp.Api;
using Path = RoutedNet.Felix.Bgp.GoBgp.Api.Path;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>
/// Translates between the agent's prefixes and GoBGP's API paths, whose NLRI and attributes travel
/// as google.protobuf.Any: IPv4 unicast carries its next hop in NEXT_HOP, IPv6 unicast in
/// MP_REACH_NLRI (RFC 4760), as GoBGP expects for each family.
/// </summary>
internal static class GoBgpPaths
{
    /// <summary>ORIGIN IGP: the node's own blocks, like a `network` statement.</summary>
    private const uint OriginIgp = 0;

    public static Family FamilyOf(AddressFamily family) => new()
    {
        Afi = family == AddressFamily.InterNetworkV6 ? Family.Types.Afi.Ip6 : Family.Types.Afi.Ip,
        Safi = Family.Types.Safi.Unicast,
    };

    /// <summary>A locally originated path for <paramref name="prefix"/> with <paramref name="nextHop"/> (the node's address of that family).</summary>
    public static Path Originate(IPNetwork prefix, IPAddress nextHop)
    {
        var family = FamilyOf(prefix.BaseAddress.AddressFamily);
        var nlri = Any.Pack(new IPAddressPrefix { Prefix = prefix.BaseAddress.ToString(), PrefixLen = (uint)prefix.PrefixLength });
        var path = new Path { Family = family, Nlri = nlri };
        path.Pattrs.Add(Any.Pack(new OriginAttribute { Origin = OriginIgp }));
        if (family.Afi == Family.Types.Afi.Ip)
        {
            path.Pattrs.Add(Any.Pack(new NextHopAttribute { NextHop = nextHop.ToString() }));
        }
        else
        {
            var reach = new MpReachNLRIAttribute { Family = family };
            reach.NextHops.Add(nextHop.ToString());
            reach.Nlris.Add(nlri);
            path.Pattrs.Add(Any.Pack(reach));
        }
        return path;
    }

    public static IPNetwork? PrefixOf(Path path) =>
        path.Nlri is { } nlri && nlri.TryUnpack<IPAddressPrefix>(out var prefix)
            && IPAddress.TryParse(prefix.Prefix, out var address)
            ? new IPNetwork(address, (int)prefix.PrefixLen)
            : null;

    public static IPAddress? NextHopOf(Path path)
    {
        foreach (var attribute in path.Pattrs)
        {
            if (attribute.TryUnpack<NextHopAttribute>(out var nextHop) && IPAddress.TryParse(nextHop.NextHop, out var v4))
            {
                return v4;
            }
            // The first next hop is the global address; a second one would be link-local.
            if (attribute.TryUnpack<MpReachNLRIAttribute>(out var reach) && reach.NextHops.Count > 0
                && IPAddress.TryParse(reach.NextHops[0], out var v6))
            {
                return v6;
            }
        }
        return null;
    }

    public static IReadOnlyList<uint> AsPathOf(Path path)
    {
        foreach (var attribute in path.Pattrs)
        {
            if (attribute.TryUnpack<AsPathAttribute>(out var asPath))
            {
                return asPath.Segments.SelectMany(s => s.Numbers).ToList();
            }
        }
        return [];
    }

    /// <summary>GoBGP reports a local path's source address as "&lt;nil&gt;": anything that is not a peer address.</summary>
    public static IPAddress? PeerOf(Path path) =>
        IPAddress.TryParse(path.NeighborIp, out var peer) ? peer : null;
}
