using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>Our speaker against GoBGP 3.10: iBGP carrying IPv4 and IPv6 over one IPv4 session.</summary>
public sealed class GoBgpInteropTests
{
    private const uint As = 65004;

    private static readonly string Config = GoBgpPeer.LinkConfig(As, As, ipv6: true);

    [Fact]
    public async Task Ibgp_BothFamilies_Exchanged()
    {
        using var link = new BgpLink();
        using var gobgp = GoBgpPeer.Start(link.Peer, Config);
        gobgp.Cli("global", "rib", "add", "10.10.4.0/24", "nexthop", BgpLink.PeerV4, "-a", "ipv4").EnsureSuccess();
        gobgp.Cli("global", "rib", "add", "fd00:10:4::/64", "nexthop", BgpLink.PeerV6, "-a", "ipv6").EnsureSuccess();
        await using var ours = await SpeakerUnderTest.StartAsync(link.Ours, BirdInteropTests.Global(As));
        await ours.Speaker.AddPeerAsync(new BgpPeerOptions
        {
            Address = IPAddress.Parse(BgpLink.PeerV4),
            RemoteAs = As,
            LocalAddress = IPAddress.Parse(BgpLink.OurV4),
            NextHopOtherFamily = IPAddress.Parse(BgpLink.OurV6),
            Import = BirdInteropTests.LabImport,
        });
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("10.10.1.0/24"));
        await ours.Speaker.OriginateAsync(IPNetwork.Parse("fd00:10:1::/64"));

        await ours.WaitEstablishedAsync(BgpLink.PeerV4, TimeSpan.FromSeconds(60));
        await Eventually.Until(() => gobgp.HasRoute("10.10.1.0/24") && gobgp.HasRoute("fd00:10:1::/64"), "GoBGP learns our v4 and v6 blocks");
        var v4 = gobgp.Rib("ipv4").GetProperty("10.10.1.0/24").ToString();
        Assert.Contains(BgpLink.OurV4, v4, StringComparison.Ordinal);
        Assert.Contains(BgpLink.OurV6, gobgp.Rib("ipv6").GetProperty("fd00:10:1::/64").ToString(), StringComparison.Ordinal);

        await Eventually.Until(() => ours.Installed.ContainsKey(IPNetwork.Parse("10.10.4.0/24")) && ours.Installed.ContainsKey(IPNetwork.Parse("fd00:10:4::/64")), "our speaker learns GoBGP's blocks");
        Assert.Equal([IPAddress.Parse(BgpLink.PeerV6)], ours.Installed[IPNetwork.Parse("fd00:10:4::/64")]);
        Assert.Equal(100u, (await ours.RouteAsync("10.10.4.0/24"))!.LocalPreference);
    }
}
