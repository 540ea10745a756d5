using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>Our speaker against BIRD 2: eBGP over IPv4 and iBGP over IPv6, both carrying IPv4 and IPv6 routes.</summary>
public sealed class BirdInteropTests
{
    internal static readonly ImportPolicy LabImport = new()
    {
        Allowed = [PrefixRange.Parse("10.10.0.0/16 le 32"), PrefixRange.Parse("fd00:10::/32 le 128")],
    };

    private static string BirdConfig(uint birdAs, uint ourAs, string neighbor, string local, string extra = "") => $$"""
        router id {{BgpLink.PeerV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol direct { ipv4; ipv6; }
        protocol static s4 { ipv4; route 10.10.2.0/24 blackhole; }
        protocol static s6 { ipv6; route fd00:10:2::/64 blackhole; }
        protocol bgp ours {
            local {{local}} as {{BirdPeer.Format(birdAs)}};
            neighbor {{neighbor}} as {{BirdPeer.Format(ourAs)}};
            {{BirdPeer.FastTimers}}
            {{extra}}
            ipv4 { import all; export where source = RTS_STATIC; next hop address {{BgpLink.PeerV4}}; };
            ipv6 { import all; export where source = RTS_STATIC; next hop address {{BgpLink.PeerV6}}; };
        }
        """;

    internal static BgpGlobalOptions Global(uint asn) => new()
    {
        LocalAs = asn,
        RouterId = IPAddress.Parse(BgpLink.OurV4),
        ListenAddresses = [],
    };

    [Fact]
    public async Task Ebgp_FourOctetAsOverIpv4_BothFamiliesExchanged()
    {
        const uint OurAs = 4200000001;
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig(65002, OurAs, BgpLink.OurV4, BgpLink.PeerV4));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, Global(OurAs));
        await ours.Speaker.AddPeerAsync(new BgpPeerOptions
        {
            Address = IPAddress.Parse(BgpLink.PeerV4),
            RemoteAs = 65002,
            LocalAddress = IPAddress.Parse(BgpLink.OurV4),
            NextHopOtherFamily = IPAddress.Parse(BgpLink.OurV6),
            Import = LabImport,
        });
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("fd00:10:1::/64"));

        await ours.WaitEstablishedAsync(BgpLink.PeerV4);
        await Eventually.Until(() => bird.HasRoute("10.10.1.0/24", "ours") && bird.HasRoute("fd00:10:1::/64", "ours"), "BIRD learns our v4 and v6 blocks");
        var v4 = bird.Route("10.10.1.0/24", "ours");
        Assert.Contains($"via {BgpLink.OurV4}", v4, StringComparison.Ordinal);
        Assert.Contains("BGP.as_path: 4200000001", v4, StringComparison.Ordinal);
        Assert.Contains($"via {BgpLink.OurV6}", bird.Route("fd00:10:1::/64", "ours"), StringComparison.Ordinal);

        await Eventually.Until(() => ours.Installed.ContainsKey(IPNetwork.Parse("10.10.2.0/24")) && ours.Installed.ContainsKey(IPNetwork.Parse("fd00:10:2::/64")), "our speaker learns BIRD's v4 and v6 blocks");
        Assert.Equal([IPAddress.Parse(BgpLink.PeerV4)], ours.Installed[IPNetwork.Parse("10.10.2.0/24")]);
        Assert.Equal([IPAddress.Parse(BgpLink.PeerV6)], ours.Installed[IPNetwork.Parse("fd00:10:2::/64")]);
        var learned = await ours.RouteAsync("10.10.2.0/24");
        Assert.Equal([65002u], learned!.AsPath);
        var status = await ours.PeerAsync(BgpLink.PeerV4);
        Assert.Equal(2, status.PrefixesIn);
        Assert.Equal(2, status.PrefixesOut);
    }

    [Fact]
    public async Task Ibgp_OverIpv6_BothFamiliesExchangedWithLocalPreference()
    {
        const uint As = 65010;
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig(As, As, BgpLink.OurV6, BgpLink.PeerV6));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, Global(As));
        await ours.Speaker.AddPeerAsync(new BgpPeerOptions
        {
            Address = IPAddress.Parse(BgpLink.PeerV6),
            RemoteAs = As,
            LocalAddress = IPAddress.Parse(BgpLink.OurV6),
            NextHopOtherFamily = IPAddress.Parse(BgpLink.OurV4),
            Import = LabImport,
        });
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("fd00:10:1::/64"));

        await ours.WaitEstablishedAsync(BgpLink.PeerV6);
        await Eventually.Until(() => bird.HasRoute("10.10.1.0/24", "ours") && bird.HasRoute("fd00:10:1::/64", "ours"), "BIRD learns our v4 and v6 blocks over iBGP");
        var v4 = bird.Route("10.10.1.0/24", "ours");
        Assert.Contains("BGP.local_pref: 100", v4, StringComparison.Ordinal);
        Assert.Contains($"BGP.next_hop: {BgpLink.OurV4}", v4, StringComparison.Ordinal);

        await Eventually.Until(() => ours.Installed.ContainsKey(IPNetwork.Parse("10.10.2.0/24")) && ours.Installed.ContainsKey(IPNetwork.Parse("fd00:10:2::/64")), "our speaker learns BIRD's blocks over iBGP");
        var learned = await ours.RouteAsync("fd00:10:2::/64");
        Assert.Empty(learned!.AsPath);
        Assert.Equal(100u, learned.LocalPreference);
    }

    [Fact]
    public async Task Withdraw_OriginatedPrefix_BirdRemovesIt()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig(65002, 65001, BgpLink.OurV4, BgpLink.PeerV4));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, Global(65001));
        await ours.Speaker.AddPeerAsync(new BgpPeerOptions { Address = IPAddress.Parse(BgpLink.PeerV4), RemoteAs = 65002, Import = LabImport, NextHopOtherFamily = IPAddress.Parse(BgpLink.OurV6) });
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));
        await Eventually.Until(() => bird.HasRoute("10.10.1.0/24", "ours"), "BIRD learns our block");

        await ours.Speaker.WithdrawAsync(IPNetwork.Parse("10.10.1.0/24"));

        await Eventually.Until(() => !bird.HasRoute("10.10.1.0/24", "ours"), "BIRD drops our withdrawn block");
        Assert.Equal(0, (await ours.PeerAsync(BgpLink.PeerV4)).PrefixesOut);
    }

    [Fact]
    public async Task ImportPolicy_PrefixOutsidePools_NotAccepted()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig(65002, 65001, BgpLink.OurV4, BgpLink.PeerV4).Replace(
            "route 10.10.2.0/24 blackhole;", "route 10.10.2.0/24 blackhole; route 192.168.77.0/24 blackhole;", StringComparison.Ordinal));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, Global(65001));
        await ours.Speaker.AddPeerAsync(new BgpPeerOptions { Address = IPAddress.Parse(BgpLink.PeerV4), RemoteAs = 65002, Import = LabImport, NextHopOtherFamily = IPAddress.Parse(BgpLink.OurV6) });

        await Eventually.Until(() => ours.Installed.ContainsKey(IPNetwork.Parse("10.10.2.0/24")), "the allowed block arrives");

        Assert.Null(await ours.RouteAsync("192.168.77.0/24"));
        Assert.False(ours.Installed.ContainsKey(IPNetwork.Parse("192.168.77.0/24")));
    }
}
