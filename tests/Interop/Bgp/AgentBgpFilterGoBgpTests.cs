using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPFilter and BGPPeer's attributes with GoBGP as the top-of-rack router of `routednet-node`:
/// GoBGP's default route accepted by an import rule and installed in the node's kernel, a foreign
/// /26 inside the pool rejected and counted; the prepended path with a per-peer local AS, and
/// LOCAL_PREF on an iBGP ToR, as `gobgp global rib -j` reports them.
/// </summary>
public sealed class AgentBgpFilterGoBgpTests
{
    private const uint TorAs = 65004;

    private static string Config(uint torAs, uint agentAs) => GoBgpPeer.LinkConfig(torAs, agentAs);

    [Fact]
    public async Task Agent_ImportFilter_GoBgpDefaultRouteInstalledPoolLeakRejectedAndCounted()
    {
        using var link = new BgpLink();
        using var gobgp = GoBgpPeer.Start(link.Peer, Config(TorAs, FilterAgent.AgentAs));
        foreach (var prefix in (string[])["0.0.0.0/0", FilterAgent.RackPrefix, FilterAgent.ForeignInPool])
        {
            gobgp.Cli("global", "rib", "add", prefix, "nexthop", BgpLink.PeerV4, "-a", "ipv4").EnsureSuccess();
        }
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { Filters = ["tor-in"] }, FilterAgent.TorIn, TorAs);

        await FilterAgent.AssertTorInAppliedAsync(link, agent);
    }

    [Fact]
    public async Task Agent_PrependPeerLocalAsAndCommunities_GoBgpSeesThem()
    {
        const uint PeerLocalAs = 65010;
        using var link = new BgpLink();
        using var gobgp = GoBgpPeer.Start(link.Peer, Config(TorAs, PeerLocalAs));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { LocalASNumber = PeerLocalAs, AsPathPrepend = 2 }, filter: null, TorAs, configuration: FilterAgent.Communities);

        await Eventually.Until(() => gobgp.HasRoute(FilterAgent.OwnBlock), $"GoBGP to learn {FilterAgent.OwnBlock} (agent log: {agent.LogPath})");

        var paths = gobgp.Rib("ipv4").GetProperty(FilterAgent.OwnBlock).ToString();
        Assert.Contains("\"asns\":[65010,65010,65010]", paths, StringComparison.Ordinal);
        // COMMUNITIES (type 8) as 32-bit values: 65000:100 and 65535:0; LARGE_COMMUNITY (type 32).
        Assert.Contains($"\"communities\":[{(65000u << 16) | 100},{0xFFFF0000u}]", paths, StringComparison.Ordinal);
        Assert.Contains("{\"type\":32,\"value\":[{\"ASN\":65000,\"LocalData1\":1,\"LocalData2\":2}]}", paths, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_LocalPrefTowardsIbgpTor_GoBgpSeesIt()
    {
        using var link = new BgpLink();
        using var gobgp = GoBgpPeer.Start(link.Peer, Config(FilterAgent.AgentAs, FilterAgent.AgentAs));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { LocalPref = 250 }, filter: null, FilterAgent.AgentAs);

        await Eventually.Until(() => gobgp.HasRoute(FilterAgent.OwnBlock), $"GoBGP to learn {FilterAgent.OwnBlock} over iBGP (agent log: {agent.LogPath})");

        // LOCAL_PREF is path attribute type 5.
        var paths = gobgp.Rib("ipv4").GetProperty(FilterAgent.OwnBlock).ToString();
        Assert.Contains("{\"type\":5,\"value\":250}", paths, StringComparison.Ordinal);
    }
}
