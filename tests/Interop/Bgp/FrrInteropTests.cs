using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>Our speaker against FRR 8.4 (zebra + bgpd): eBGP with a 4-octet AS, IPv4 and IPv6, with and without MD5.</summary>
public sealed class FrrInteropTests
{
    private const uint OurAs = 4200000001;

    private static string Config(string? password = null) => $"""
        frr defaults datacenter
        hostname rnt-frr
        log file @DIR@/bgpd.log debugging
        router bgp 65003
         bgp router-id {BgpLink.PeerV4}
         no bgp ebgp-requires-policy
         no bgp network import-check
         neighbor {BgpLink.OurV4} remote-as {OurAs}
         {(password is null ? "" : $"neighbor {BgpLink.OurV4} password {password}")}
         address-family ipv4 unicast
          network 10.10.3.0/24
         exit-address-family
         address-family ipv6 unicast
          neighbor {BgpLink.OurV4} activate
          network fd00:10:3::/64
         exit-address-family
        """;

    private static BgpPeerOptions Peer(string? password = null) => new()
    {
        Address = IPAddress.Parse(BgpLink.PeerV4),
        RemoteAs = 65003,
        LocalAddress = IPAddress.Parse(BgpLink.OurV4),
        NextHopOtherFamily = IPAddress.Parse(BgpLink.OurV6),
        Password = password,
        Import = BirdInteropTests.LabImport,
    };

    [Fact]
    public async Task Ebgp_FourOctetAs_BothFamiliesExchanged()
    {
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, Config());
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(OurAs));
        await ours.Speaker.AddPeerAsync(Peer());
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("fd00:10:1::/64"));

        await ours.WaitEstablishedAsync(BgpLink.PeerV4, TimeSpan.FromSeconds(60));
        await Eventually.Until(() => frr.Paths("10.10.1.0/24").Length > 0 && frr.Paths("fd00:10:1::/64").Length > 0, "FRR learns our v4 and v6 blocks");
        var v4 = frr.Paths("10.10.1.0/24")[0].ToString();
        Assert.Contains("\"4200000001\"", v4, StringComparison.Ordinal);
        Assert.Contains(BgpLink.OurV4, v4, StringComparison.Ordinal);
        Assert.Contains(BgpLink.OurV6, frr.Paths("fd00:10:1::/64")[0].ToString(), StringComparison.Ordinal);

        await Eventually.Until(() => ours.Installed.ContainsKey(IPNetwork.Parse("10.10.3.0/24")) && ours.Installed.ContainsKey(IPNetwork.Parse("fd00:10:3::/64")), "our speaker learns FRR's blocks");
        Assert.Equal([IPAddress.Parse(BgpLink.PeerV4)], ours.Installed[IPNetwork.Parse("10.10.3.0/24")]);
        Assert.Equal([65003u], (await ours.RouteAsync("10.10.3.0/24"))!.AsPath);
    }

    [Fact]
    public async Task Md5_SamePassword_EstablishesAndExchanges()
    {
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, Config(password: "rnt-s3cret"));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(OurAs));
        await ours.Speaker.AddPeerAsync(Peer(password: "rnt-s3cret"));
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));

        await ours.WaitEstablishedAsync(BgpLink.PeerV4, TimeSpan.FromSeconds(60));
        await Eventually.Until(() => frr.Paths("10.10.1.0/24").Length > 0, "FRR learns our block over the signed session");
        Assert.True(frr.IsEstablished(BgpLink.OurV4));
    }

    [Fact]
    public async Task Md5_WrongPassword_NeverEstablishes()
    {
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, Config(password: "rnt-s3cret"));
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(OurAs));
        await ours.Speaker.AddPeerAsync(Peer(password: "not-the-password"));

        // Several connect attempts in both directions happen in this window; the kernel drops them all.
        await Task.Delay(TimeSpan.FromSeconds(12));

        Assert.NotEqual(RoutedNet.BgpSpeaker.Fsm.SessionState.Established, (await ours.PeerAsync(BgpLink.PeerV4)).State);
        Assert.False(frr.IsEstablished(BgpLink.OurV4));
        var drops = link.Peer.Exec("nstat", "-az", "TcpExtTCPMD5Failure").Stdout;
        Assert.Matches(@"TcpExtTCPMD5Failure\s+[1-9]", drops);
    }
}
