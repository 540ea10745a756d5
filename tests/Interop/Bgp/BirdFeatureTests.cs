using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>Route reflection, max-prefix, route refresh and graceful restart (we help a restarting BIRD).</summary>
public sealed class BirdFeatureTests
{
    private static string Bird(string routerId, string local, string neighbor, uint asn, uint neighborAs, string statics, string extra = "", string channelExtra = "") => $$"""
        router id {{routerId}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol direct { ipv4; }
        protocol static s4 { ipv4; {{statics}} }
        protocol bgp ours {
            local {{local}} as {{BirdPeer.Format(asn)}};
            neighbor {{neighbor}} as {{BirdPeer.Format(neighborAs)}};
            {{BirdPeer.FastTimers}}
            {{extra}}
            ipv4 { import all; export where source = RTS_STATIC; {{channelExtra}} };
        }
        """;

    private static BgpPeerOptions Peer(string address, uint asn) => new()
    {
        Address = IPAddress.Parse(address),
        RemoteAs = asn,
        Families = [RouteFamily.Ipv4Unicast],
        Import = BirdInteropTests.LabImport,
    };

    [Fact]
    public async Task RouteReflector_TwoClients_EachGetsTheOthersRouteWithOriginatorAndClusterList()
    {
        const uint As = 65020;
        using var link = new BgpLink();
        var second = link.AddPeer(1, out var ourSecond, out var peerSecond);
        // Clients reach each other's next hop through us (BIRD resolves iBGP next hops recursively).
        using var a = BirdPeer.Start(link.Peer, Bird(BgpLink.PeerV4, BgpLink.PeerV4, BgpLink.OurV4, As, As,
            $"route 10.10.2.0/24 blackhole; route 198.18.1.0/24 via {BgpLink.OurV4};"));
        using var b = BirdPeer.Start(second, Bird(peerSecond, peerSecond, ourSecond, As, As,
            $"route 10.10.3.0/24 blackhole; route 198.18.0.0/24 via {ourSecond};"));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(As));
        var reflect = new ExportPolicy { Learned = true };
        await ours.Speaker.AddPeerAsync(Peer(BgpLink.PeerV4, As) with { RouteReflectorClient = true, Export = reflect });
        await ours.Speaker.AddPeerAsync(Peer(peerSecond, As) with { RouteReflectorClient = true, Export = reflect });

        await Eventually.Until(() => a.HasRoute("10.10.3.0/24", "ours") && b.HasRoute("10.10.2.0/24", "ours"), "each client learns the other's block through the reflector");
        var atA = a.Route("10.10.3.0/24", "ours");
        Assert.Contains($"BGP.originator_id: {peerSecond}", atA, StringComparison.Ordinal);
        Assert.Contains($"BGP.cluster_list: {BgpLink.OurV4}", atA, StringComparison.Ordinal);
        Assert.Contains($"BGP.next_hop: {peerSecond}", atA, StringComparison.Ordinal);
        Assert.Contains($"BGP.originator_id: {BgpLink.PeerV4}", b.Route("10.10.2.0/24", "ours"), StringComparison.Ordinal);
        Assert.Equal(2, (await ours.Speaker.GetRoutesAsync()).Count);
    }

    [Fact]
    public async Task MaxPrefix_PeerSendsMoreThanLimit_SessionClosedWithCease1()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, Bird(BgpLink.PeerV4, BgpLink.PeerV4, BgpLink.OurV4, 65002, 65001,
            "route 10.10.2.0/24 blackhole; route 10.10.3.0/24 blackhole; route 10.10.4.0/24 blackhole;"));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(65001));

        await ours.Speaker.AddPeerAsync(Peer(BgpLink.PeerV4, 65002) with { Import = BirdInteropTests.LabImport with { MaxPrefixes = 2 } });

        await Eventually.Until(() => bird.Cli("show protocols all ours").Contains("Maximum number of prefixes reached", StringComparison.OrdinalIgnoreCase), "BIRD reports our Cease/1");
        var status = await ours.PeerAsync(BgpLink.PeerV4);
        Assert.Contains("Maximum Number of Prefixes Reached", status.LastError, StringComparison.Ordinal);
        Assert.Empty(await ours.Speaker.GetRoutesAsync());
    }

    [Fact]
    public async Task RouteRefresh_BothDirections_RoutesSentAgain()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, Bird(BgpLink.PeerV4, BgpLink.PeerV4, BgpLink.OurV4, 65002, 65001, "route 10.10.2.0/24 blackhole;"));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(65001));
        await ours.Speaker.AddPeerAsync(Peer(BgpLink.PeerV4, 65002));
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));
        await Eventually.Until(() => bird.HasRoute("10.10.1.0/24", "ours") && ours.Installed.ContainsKey(IPNetwork.Parse("10.10.2.0/24")), "routes exchanged");
        var before = await ours.PeerAsync(BgpLink.PeerV4);

        // BIRD asks us (ROUTE-REFRESH), and we ask BIRD.
        bird.Cli("reload in ours");
        await ours.Speaker.RequestRouteRefreshAsync(IPAddress.Parse(BgpLink.PeerV4));

        await Eventually.Until(async () =>
        {
            var now = await ours.PeerAsync(BgpLink.PeerV4);
            return now.UpdatesOut > before.UpdatesOut && now.UpdatesIn > before.UpdatesIn;
        }, "UPDATEs sent and received again after the refreshes");
        Assert.True(bird.HasRoute("10.10.1.0/24", "ours"));
        Assert.Equal(RoutedNet.BgpSpeaker.Fsm.SessionState.Established, (await ours.PeerAsync(BgpLink.PeerV4)).State);
    }

    [Fact]
    public async Task GracefulRestart_PeerKilledAndBack_StaleKeptThenSweptAfterEndOfRib()
    {
        const string Gr = "graceful restart on; graceful restart time 60;";
        using var link = new BgpLink();
        var bird = BirdPeer.Start(link.Peer, Bird(BgpLink.PeerV4, BgpLink.PeerV4, BgpLink.OurV4, 65002, 65001,
            "route 10.10.2.0/24 blackhole; route 10.10.9.0/24 blackhole;", Gr));
        try
        {
            await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(65001));
            await ours.Speaker.AddPeerAsync(Peer(BgpLink.PeerV4, 65002));
            await Eventually.Until(() => ours.Installed.ContainsKey(IPNetwork.Parse("10.10.9.0/24")), "BIRD's routes learned");

            bird.Kill();

            await Eventually.Until(async () => (await ours.RouteAsync("10.10.9.0/24"))?.IsStale == true, "its routes kept as stale after the crash");
            Assert.True(ours.Installed.ContainsKey(IPNetwork.Parse("10.10.2.0/24")));
            Assert.Equal(2, (await ours.PeerAsync(BgpLink.PeerV4)).StalePrefixes);

            // Back, in graceful-restart recovery, without 10.10.9.0/24 this time.
            bird.Dispose();
            bird = BirdPeer.Start(link.Peer, Bird(BgpLink.PeerV4, BgpLink.PeerV4, BgpLink.OurV4, 65002, 65001, "route 10.10.2.0/24 blackhole;", Gr), gracefulRestartRecovery: true);

            await ours.WaitEstablishedAsync(BgpLink.PeerV4, TimeSpan.FromSeconds(60));
            await Eventually.Until(async () => await ours.RouteAsync("10.10.9.0/24") is null, "the route BIRD did not send again is swept", TimeSpan.FromSeconds(90));
            var kept = await ours.RouteAsync("10.10.2.0/24");
            Assert.NotNull(kept);
            Assert.False(kept.IsStale);
            Assert.True(ours.Installed.ContainsKey(IPNetwork.Parse("10.10.2.0/24")));
            Assert.False(ours.Installed.ContainsKey(IPNetwork.Parse("10.10.9.0/24")));
            Assert.Equal(0, (await ours.PeerAsync(BgpLink.PeerV4)).StalePrefixes);
        }
        finally
        {
            bird.Dispose();
        }
    }
}
