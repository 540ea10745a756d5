using System.Collections.Immutable;
using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

/// <summary>Valid messages of every type and shape the codec knows, for the mutator to start from.</summary>
public static class Seeds
{
    public static ImmutableArray<byte[]> All { get; } = Build();

    private static ImmutableArray<byte[]> Build()
    {
        var fourOctet = new BgpCodecContext(true, false, false);
        var twoOctet = new BgpCodecContext(false, false, true);
        var full = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = new AsPath([new(AsPathSegmentType.AsSequence, [65001, 4200000001]), new(AsPathSegmentType.AsSet, [65010, 65011])]),
            NextHop = IPAddress.Parse("172.18.0.2"),
            MultiExitDisc = 10,
            LocalPref = 100,
            AtomicAggregate = true,
            Aggregator = new Aggregator(4200000001, 0x0a000001),
            Communities = [0xfde90001],
            LargeCommunities = [new LargeCommunity(4200000001, 1, 2)],
            OriginatorId = 0x0a000002,
            ClusterList = [0x0a000003, 0x0a000004],
            Unknown = [new RawPathAttribute(PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial, 99, [1, 2, 3])],
        };
        var v4 = ImmutableArray.Create(BgpPrefix.Parse("10.244.1.0/24"), BgpPrefix.Parse("10.244.2.128/25"), BgpPrefix.Parse("0.0.0.0/0"), BgpPrefix.Parse("192.0.2.1/32"));
        var v6 = ImmutableArray.Create(BgpPrefix.Parse("2001:db8:1::/48"), BgpPrefix.Parse("2001:db8::1/128"));
        var gr = new GracefulRestartCapability { RestartTime = 120, Restarting = true, Families = [new(AfiSafi.Ipv4Unicast, true), new(AfiSafi.Ipv6Unicast, false)] };
        var capabilities = new BgpCapabilities
        {
            Multiprotocol = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast],
            RouteRefresh = true,
            EnhancedRouteRefresh = true,
            ExtendedMessage = true,
            GracefulRestart = gr,
            Unknown = [new RawCapability(73, [4, 0x6e, 0x6f, 0x64, 0x65, 0])],
        };
        return
        [
            OpenMessage.Create(4200000001, 90, 0x0a000001, capabilities).ToArray(fourOctet),
            OpenMessage.Create(65001, 0, 0x0a000001, BgpCapabilities.None).ToArray(fourOctet),
            new UpdateMessage([BgpPrefix.Parse("10.1.0.0/16")], full, v4).ToArray(fourOctet),
            new UpdateMessage([BgpPrefix.Parse("10.1.0.0/16")], full, v4).ToArray(twoOctet),
            new UpdateMessage(attributes: full with { NextHop = null }, mpReach: new MpReachNlri(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), v6, IPAddress.Parse("fe80::1"))).ToArray(fourOctet),
            new UpdateMessage(mpUnreach: new MpUnreachNlri(AfiSafi.Ipv6Unicast, v6)).ToArray(fourOctet),
            new UpdateMessage(attributes: new PathAttributes { Origin = Origin.Egp, AsPath = AsPath.Empty }, mpReach: new MpReachNlri(AfiSafi.Ipv4Unicast, IPAddress.Parse("10.0.0.1"), v4)).ToArray(fourOctet),
            UpdateMessage.EndOfRib(AfiSafi.Ipv4Unicast).ToArray(fourOctet),
            UpdateMessage.EndOfRib(AfiSafi.Ipv6Unicast).ToArray(fourOctet),
            NotificationMessage.AdministrativeShutdown("maintenance").ToArray(fourOctet),
            NotificationMessage.MaximumPrefixesReached(AfiSafi.Ipv4Unicast, 100).ToArray(fourOctet),
            KeepaliveMessage.Instance.ToArray(fourOctet),
            new RouteRefreshMessage(AfiSafi.Ipv6Unicast, RouteRefreshSubtype.BeginningOfRouteRefresh).ToArray(fourOctet),
        ];
    }
}
