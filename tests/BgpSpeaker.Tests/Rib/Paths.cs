using System.Net;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

/// <summary>Builds paths for decision and export tests.</summary>
internal static class Paths
{
    public static PathSource Peer(string address, uint asn, uint routerId, bool ibgp = false, bool client = false) =>
        new(IPAddress.Parse(address), asn, routerId, ibgp, client);

    public static PathAttributes Attributes(
        uint localPref = 100,
        uint[]? asPath = null,
        Origin origin = Origin.Igp,
        uint? med = null,
        string nextHop = "192.0.2.1",
        uint? originatorId = null,
        uint[]? clusterList = null) =>
        new()
        {
            LocalPref = localPref,
            AsPath = AsPath.FromSequence(asPath ?? []),
            Origin = origin,
            MultiExitDisc = med,
            NextHop = IPAddress.Parse(nextHop),
            OriginatorId = originatorId,
            ClusterList = [.. clusterList ?? []],
        };

    public static RoutePath From(PathSource source, PathAttributes attributes, uint? igpCost = null) =>
        new(source, attributes) { IgpCost = igpCost };
}
