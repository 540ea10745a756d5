using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// eBGP to a router's loopback one real router away (<see cref="RoutedHop"/>, plus a /32 on the
/// ToR's loopback routed through the hop), as a rack peering with its ToR's loopback is built.
/// Calico's BIRD template makes every session multihop; a node sending eBGP with TTL 1, as it did,
/// never got past the router. The BGPPeer sets nothing beyond address and AS. GTSM across the same
/// hop is <see cref="AgentTtlSecurityRoutedHopTests"/>.
/// </summary>
public sealed class AgentEbgpMultihopTests
{
    private const uint TorAs = 65002;
    private const string TorLoopback = RoutedHop.PeerLoopbackV4;

    [Fact]
    public async Task Agent_EbgpToBirdLoopbackOneRouterAway_Established()
    {
        using var hop = new RoutedHop();
        hop.AddPeerLoopback();
        using var bird = BirdPeer.Start(hop.Peer, BirdLoopbackConfig());
        using var agent = await StartAgentAsync(hop);

        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD on its loopback to establish across the router (agent log: {agent.LogPath})");
        await AssertNodeEstablishedAsync(agent);
    }

    [Fact]
    public async Task Agent_EbgpToFrrLoopbackOneRouterAway_Established()
    {
        using var hop = new RoutedHop();
        hop.AddPeerLoopback();
        using var frr = FrrPeer.Start(hop.Peer, $"""
            frr defaults datacenter
            hostname rnt-frr
            log file @DIR@/bgpd.log debugging
            router bgp {TorAs}
             bgp router-id {TorLoopback}
             no bgp ebgp-requires-policy
             neighbor {RoutedHop.OurV4} remote-as {FilterAgent.AgentAs}
             neighbor {RoutedHop.OurV4} ebgp-multihop 2
             neighbor {RoutedHop.OurV4} update-source {TorLoopback}
             neighbor {RoutedHop.OurV4} timers 3 9
             neighbor {RoutedHop.OurV4} timers connect 2
            """);
        using var agent = await StartAgentAsync(hop);

        await Eventually.Until(() => frr.IsEstablished(RoutedHop.OurV4), $"FRR on its loopback to establish across the router (agent log: {agent.LogPath})");
        await AssertNodeEstablishedAsync(agent);
    }

    /// <summary>BIRD on <see cref="RoutedHop.PeerLoopbackV4"/>, eBGP to the node a router away.</summary>
    internal static string BirdLoopbackConfig() => $$"""
        router id {{TorLoopback}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol bgp agent {
            local {{TorLoopback}} as {{BirdPeer.Format(TorAs)}};
            neighbor {{RoutedHop.OurV4}} as {{BirdPeer.Format(FilterAgent.AgentAs)}};
            multihop;
            {{BirdPeer.FastTimers}}
            ipv4 { import all; export none; };
        }
        """;

    private static Task<AgentProcess> StartAgentAsync(RoutedHop hop) =>
        FilterAgent.StartAsync(hop.Ours, RoutedHop.OurV4, TorLoopback, new BGPPeerSpec(), filter: null, TorAs);

    private static Task AssertNodeEstablishedAsync(AgentProcess agent) =>
        Eventually.Until(
            async () => (await FilterAgent.CtlAsync(agent, "bgp", "peers", "-o", "json")).Stdout.Contains("\"state\": \"Established\"", StringComparison.Ordinal),
            "the node to see it Established");
}
