using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPFilter and BGPPeer's attributes with FRR 8.4 as the top-of-rack router of `routednet-node`:
/// FRR's default-originate accepted by an import rule and installed in the node's kernel, a foreign
/// /26 inside the pool rejected and counted; the prepended path with a per-peer local AS, and
/// LOCAL_PREF on an iBGP ToR, as `show bgp ... json` reports them. FRR 8.4 also echoes the node's
/// own block back to it (with the node's AS in the path; even with sender-as-path-loop-detection),
/// which the node refuses and counts as filtered too.
/// </summary>
public sealed class AgentBgpFilterFrrTests
{
    private const uint TorAs = 65003;

    private static string Config(uint torAs, uint agentAs, string announce = "") => $"""
        frr defaults datacenter
        hostname rnt-frr
        log file @DIR@/bgpd.log debugging
        router bgp {torAs}
         bgp router-id {BgpLink.PeerV4}
         no bgp ebgp-requires-policy
         no bgp network import-check
         neighbor {BgpLink.OurV4} remote-as {agentAs}
         address-family ipv4 unicast
        {announce}
         exit-address-family
        """;

    [Fact]
    public async Task Agent_ImportFilter_FrrDefaultRouteInstalledPoolLeakRejectedAndCounted()
    {
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, Config(TorAs, FilterAgent.AgentAs, $"""
              neighbor {BgpLink.OurV4} default-originate
              network {FilterAgent.RackPrefix}
              network {FilterAgent.ForeignInPool}
            """));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { Filters = ["tor-in"] }, FilterAgent.TorIn, TorAs);

        await FilterAgent.AssertTorInAppliedAsync(link, agent, echoesOwnBlock: true);
    }

    [Fact]
    public async Task Agent_PrependPeerLocalAsAndCommunities_FrrSeesThem()
    {
        const uint PeerLocalAs = 65010;
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, Config(TorAs, PeerLocalAs));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { LocalASNumber = PeerLocalAs, AsPathPrepend = 2 }, filter: null, TorAs, configuration: FilterAgent.Communities);

        await Eventually.Until(() => frr.Paths(FilterAgent.OwnBlock).Length > 0, $"FRR to learn {FilterAgent.OwnBlock} (agent log: {agent.LogPath})");

        var path = frr.Paths(FilterAgent.OwnBlock)[0];
        Assert.Equal("65010 65010 65010", path.GetProperty("aspath").GetProperty("string").GetString());
        Assert.Equal("65000:100 graceful-shutdown", path.GetProperty("community").GetProperty("string").GetString());
        Assert.Equal("65000:1:2", path.GetProperty("largeCommunity").GetProperty("string").GetString());
    }

    [Fact]
    public async Task Agent_LocalPrefTowardsIbgpTor_FrrSeesIt()
    {
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, Config(FilterAgent.AgentAs, FilterAgent.AgentAs));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { LocalPref = 250 }, filter: null, FilterAgent.AgentAs);

        await Eventually.Until(() => frr.Paths(FilterAgent.OwnBlock).Length > 0, $"FRR to learn {FilterAgent.OwnBlock} over iBGP (agent log: {agent.LogPath})");

        var path = frr.Paths(FilterAgent.OwnBlock)[0];
        Assert.Equal(250, path.GetProperty("locPrf").GetInt32());
    }
}
