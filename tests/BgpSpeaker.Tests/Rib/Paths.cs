using System.Net;
using RoutedNet.BgpSpeaker.Rib;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

/// <summary>Builds paths for decision and export tests.</summary>
internal static class Paths
{
    public static PathSource Peer(string address, uint asn, uint routerId, bool ibgp = false, bool client = false) =>
        new(IPAddress.Parse(address), asn, routerId, ibgp, client);

    public static RouteAttributes Attributes(
        uint localPref = 100, uint[]? asPath = null, RouteOrigin origin = RouteOrigin.Igp, uint? med = null, string nextHop = "192.0.2.1") =>
        new()
        {
            LocalPreference = localPref,
            AsPath = asPath is null or [] ? [] : [new AsPathSegment(AsPathSegmentKind.AsSequence, asPath)],
            Origin = origin,
            MultiExitDisc = med,
            NextHop = IPAddress.Parse(nextHop),
        };

    public static RoutePath From(PathSource source, RouteAttributes attributes, uint? igpCost = null) =>
        new(source, attributes) { IgpCost = igpCost };
}
