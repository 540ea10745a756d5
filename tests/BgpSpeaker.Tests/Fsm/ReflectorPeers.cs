using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>What the route-reflector tests configure and send: a client of a reflector in AS 64512, and a client's announcement.</summary>
internal static class ReflectorPeers
{
    public const uint ClusterAs = 64512;

    public static BgpPeerOptions Client(string address) => new()
    {
        Address = IPAddress.Parse(address),
        RemoteAs = ClusterAs,
        LocalAddress = IPAddress.Parse("192.0.2.1"),
        RouteReflectorClient = true,
        Import = ImportPolicy.AcceptAll,
        Export = new ExportPolicy { Learned = true },
    };

    public static UpdateMessage Announce(BgpPrefix prefix, string nextHop, uint localPref = 100, uint? originatorId = null) => new(
        attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse(nextHop), LocalPref = localPref, OriginatorId = originatorId },
        nlri: [prefix]);
}
