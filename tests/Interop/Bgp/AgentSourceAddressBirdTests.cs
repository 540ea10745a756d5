using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPPeer `sourceAddress` given as an address (beside Calico's UseNodeIP|None): the node has a
/// second address on its uplink, and BIRD, passive and configured with that address as its
/// neighbour, accepts only a connection that comes from it. Established therefore means the node
/// bound its session there; BIRD's own view names the address. An address the node does not have
/// is never silently replaced by the node's: the session stays down and `bgp peers` says why.
/// </summary>
public sealed class AgentSourceAddressBirdTests
{
    private const uint TorAs = 65002;

    /// <summary>On the node's uplink beside <see cref="BgpLink.OurV4"/>, as a second service address would be.</summary>
    private const string Chosen = "198.18.0.9";

    private static string BirdConfig(string neighbor) => $$"""
        router id {{BgpLink.PeerV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol bgp agent {
            local {{BgpLink.PeerV4}} as {{BirdPeer.Format(TorAs)}};
            neighbor {{neighbor}} as {{BirdPeer.Format(FilterAgent.AgentAs)}};
            passive on;
            {{BirdPeer.FastTimers}}
            ipv4 { import all; export none; };
        }
        """;

    [Fact]
    public async Task Agent_SourceAddressExplicit_BirdSeesTheSessionFromIt()
    {
        using var link = new BgpLink();
        link.Ours.Check("ip", "addr", "add", $"{Chosen}/24", "dev", "bgpl0");
        using var bird = BirdPeer.Start(link.Peer, BirdConfig(Chosen));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { SourceAddress = Chosen }, filter: null, TorAs);

        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD (passive, neighbour {Chosen}) to establish (agent log: {agent.LogPath})");

        var view = bird.Cli("show protocols all agent");
        Assert.Contains($"Neighbor address: {Chosen}", view, StringComparison.Ordinal);
        // And the next hop BIRD receives is the chosen address, as with BIRD's `source address`.
        await Eventually.Until(() => bird.Route(FilterAgent.OwnBlock, "agent").Contains($"BGP.next_hop: {Chosen}", StringComparison.Ordinal), $"BIRD to learn {FilterAgent.OwnBlock} via {Chosen}");
    }

    [Fact]
    public async Task Agent_SourceAddressNotOnNode_NeverFallsBackAndSaysWhy()
    {
        const string Absent = "198.18.0.77";
        using var link = new BgpLink();
        // BIRD would take the node's own address: a fallback to it would come up.
        using var bird = BirdPeer.Start(link.Peer, BirdConfig(BgpLink.OurV4));
        using var agent = await FilterAgent.StartAsync(link, new BGPPeerSpec { SourceAddress = Absent }, filter: null, TorAs);

        await Eventually.Until(
            async () => (await FilterAgent.CtlAsync(agent, "bgp", "peers", "-o", "json")).Stdout.Contains($"source address {Absent} is not an address of this node", StringComparison.Ordinal),
            $"`bgp peers` to say the source address is missing (agent log: {agent.LogPath})");

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(bird.IsEstablished("agent"), bird.Cli("show protocols all agent"));
    }
}
