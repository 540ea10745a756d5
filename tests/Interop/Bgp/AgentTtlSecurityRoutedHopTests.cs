using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// GTSM (RFC 5082, BGPPeer `ttlSecurity`) across a real router: the ToR's packets cross one
/// forwarding namespace and reach the node with TTL 254. With `ttlSecurity: 1` (only TTL 255 is
/// taken) the kernel drops every one of them and the session never reaches Established; with
/// `ttlSecurity: 2` (the right hop count) it does. The ToR's own connections are judged by their
/// SYN's TTL: the listener serves every peer, so the kernel's check comes only after accept, and
/// before that BIRD reached Established with `ttlSecurity: 1` (its OPEN was already in). BIRD (`ttl security on; multihop 2;`), FRR
/// (`ttl-security hops 2`) and GoBGP (`ttl-security` with `ttl-min = 254`) run GTSM towards the node
/// too, so both directions are checked.
/// </summary>
public sealed class AgentTtlSecurityRoutedHopTests
{
    private const uint TorAs = 65002;

    private static string BirdConfig() => $$"""
        router id {{RoutedHop.PeerV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol bgp agent {
            local {{RoutedHop.PeerV4}} as {{BirdPeer.Format(TorAs)}};
            neighbor {{RoutedHop.OurV4}} as {{BirdPeer.Format(FilterAgent.AgentAs)}};
            {{BirdPeer.FastTimers}}
            ttl security on;
            multihop 2;
            ipv4 { import all; export none; };
        }
        """;

    private static string FrrConfig() => $"""
        frr defaults datacenter
        hostname rnt-frr
        log file @DIR@/bgpd.log debugging
        router bgp {TorAs}
         bgp router-id {RoutedHop.PeerV4}
         no bgp ebgp-requires-policy
         neighbor {RoutedHop.OurV4} remote-as {FilterAgent.AgentAs}
         neighbor {RoutedHop.OurV4} ttl-security hops 2
         neighbor {RoutedHop.OurV4} timers 3 9
         neighbor {RoutedHop.OurV4} timers connect 2
        """;

    /// <summary>gobgpd connects out (every 2 s) and sends with TTL 255; it takes the node's packets from TTL 254 (one router away) up.</summary>
    private static string GoBgpConfig() => $"""
        [global.config]
          as = {TorAs}
          router-id = "{RoutedHop.PeerV4}"
          local-address-list = ["{RoutedHop.PeerV4}"]
        [[neighbors]]
          [neighbors.config]
            neighbor-address = "{RoutedHop.OurV4}"
            peer-as = {FilterAgent.AgentAs}
          [neighbors.timers.config]
            connect-retry = 2
            hold-time = 9
            keepalive-interval = 3
          [neighbors.ttl-security.config]
            enabled = true
            ttl-min = 254
          [[neighbors.afi-safis]]
            [neighbors.afi-safis.config]
              afi-safi-name = "ipv4-unicast"

        """;

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public async Task Agent_TtlSecurity_BirdOneRouterAway_EstablishedOnlyWithTwoHops(int hops, bool established)
    {
        using var hop = new RoutedHop();
        using var bird = BirdPeer.Start(hop.Peer, BirdConfig());
        using var agent = await StartAgentAsync(hop, hops);

        await AssertSessionAsync(hop, agent, () => bird.IsEstablished("agent"), established, () => bird.Cli("show protocols all agent"), torConnects: true);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public async Task Agent_TtlSecurity_FrrOneRouterAway_EstablishedOnlyWithTwoHops(int hops, bool established)
    {
        using var hop = new RoutedHop();
        using var frr = FrrPeer.Start(hop.Peer, FrrConfig());
        using var agent = await StartAgentAsync(hop, hops);

        await AssertSessionAsync(hop, agent, () => frr.IsEstablished(RoutedHop.OurV4), established, () => frr.Vty($"show bgp neighbors {RoutedHop.OurV4}"), torConnects: false);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public async Task Agent_TtlSecurity_GoBgpOneRouterAway_EstablishedOnlyWithTwoHops(int hops, bool established)
    {
        using var hop = new RoutedHop();
        using var gobgp = GoBgpPeer.Start(hop.Peer, GoBgpConfig());
        using var agent = await StartAgentAsync(hop, hops);

        // gobgpd's own connections never reached the node's listener here (its dial failures are
        // logged only at debug level): the node's side is what is asserted, as with FRR.
        await AssertSessionAsync(hop, agent, () => gobgp.IsEstablished(RoutedHop.OurV4), established, () => gobgp.Cli("neighbor", RoutedHop.OurV4).Stdout + gobgp.Log(), torConnects: false);
    }

    private static Task<AgentProcess> StartAgentAsync(RoutedHop hop, int hops) =>
        FilterAgent.StartAsync(hop.Ours, RoutedHop.OurV4, RoutedHop.PeerV4, new BGPPeerSpec { TtlSecurity = hops }, filter: null, TorAs);

    private static async Task AssertSessionAsync(RoutedHop hop, AgentProcess agent, Func<bool> torEstablished, bool established, Func<string> torView, bool torConnects)
    {
        if (established)
        {
            await Eventually.Until(torEstablished, $"the ToR to establish across the router with GTSM on both ends (agent log: {agent.LogPath})");
            await Eventually.Until(async () => (await FilterAgent.CtlAsync(agent, "bgp", "peers", "-o", "json")).Stdout.Contains("\"state\": \"Established\"", StringComparison.Ordinal), "the node to see it Established");
            Assert.Equal(0, FilterAgent.MinTtlDrops(hop.Ours));
            return;
        }
        // Each SYN-ACK or segment of the ToR arrives with TTL 254 and is dropped.
        await Eventually.Until(() => FilterAgent.MinTtlDrops(hop.Ours) >= 5, "the node's kernel to drop 5 of the ToR's packets for their TTL");
        // And BIRD's own connections (it connects every 2 s here), whose handshake the shared
        // listener cannot check, refused by their SYN's TTL.
        if (torConnects)
        {
            await Eventually.Until(() => File.ReadAllText(agent.LogPath).Contains("arrived with TTL 254", StringComparison.Ordinal), $"the node to refuse the ToR's connection (agent log: {agent.LogPath})");
        }
        Assert.False(torEstablished(), torView());
        var peers = await FilterAgent.CtlAsync(agent, "bgp", "peers", "-o", "json");
        Assert.DoesNotContain("\"state\": \"Established\"", peers.Stdout, StringComparison.Ordinal);
    }
}
