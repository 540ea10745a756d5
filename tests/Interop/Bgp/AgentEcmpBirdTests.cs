using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// `routednet-node` (the published binary) installs the best routes it learns over BGP with ECMP
/// where there are several: a node behind two top-of-rack routers must use both, and fall back to
/// the survivor at once when one stops announcing. The node's LAN is a bridge in its namespace; each
/// router is its own BIRD in its own namespace (one BIRD with two sessions to the same neighbour
/// address keeps all but the first Idle). The assertions are on the kernel's main table as
/// `ip route` prints it, not on the speaker's own RIB.
/// </summary>
public sealed class AgentEcmpBirdTests
{
    private const string NodeV4 = "198.18.1.1";
    private const string BirdAV4 = "198.18.1.2";
    private const string BirdBV4 = "198.18.1.3";

    /// <summary>The agent's AS when neither its Node nor a BGPConfiguration sets one (Calico's default).</summary>
    private const uint AgentAs = 64512;

    private const string Pool = "10.65.0.0/16";

    /// <summary>Announced by both routers with equal attributes (AS path length 1, origin IGP, no MED).</summary>
    private const string Shared = "10.65.1.0/26";

    /// <summary>Announced by router A only.</summary>
    private const string OnlyA = "10.65.2.0/26";

    private static string BirdConfig(string address, uint asNumber, bool announceOnlyA) => $$"""
        router id {{address}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol static pods {
            ipv4;
            route {{Shared}} blackhole;
            {{(announceOnlyA ? $"route {OnlyA} blackhole;" : "")}}
        }
        protocol bgp agent {
            local {{address}} as {{BirdPeer.Format(asNumber)}};
            neighbor {{NodeV4}} as {{BirdPeer.Format(AgentAs)}};
            {{BirdPeer.FastTimers}}
            ipv4 { import none; export where proto = "pods"; };
        }
        """;

    /// <summary>
    /// Two eBGP neighbours in different ASes (a dual-homed rack) and in the same AS (two routers of one
    /// fabric): our decision process puts both in the ECMP set, as BIRD's "merge paths" does (paths
    /// tying through the IGP-cost step, src/BgpSpeaker/Rib/BestPath/BestPathSelector.cs; the MED step
    /// compares only within one neighbour AS).
    /// </summary>
    [Theory]
    [InlineData(65002u, 65003u)]
    [InlineData(65002u, 65002u)]
    public async Task Agent_TwoPeersAnnounceSamePrefix_KernelRouteHasBothNextHops(uint asA, uint asB)
    {
        using var node = NetNs.Create();
        using var routerA = NetNs.Create();
        using var routerB = NetNs.Create();
        NodeLan.Create(node, NodeV4);
        NodeLan.Attach(node, "lan1", routerA, BirdAV4);
        NodeLan.Attach(node, "lan2", routerB, BirdBV4);

        using var birdA = BirdPeer.Start(routerA, BirdConfig(BirdAV4, asA, announceOnlyA: true));
        using var birdB = BirdPeer.Start(routerB, BirdConfig(BirdBV4, asB, announceOnlyA: false));
        using var agent = await AgentProcess.StartAsync(node, NodeV4, async store =>
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = Pool, BlockSize = 26 } });
            await store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "tor-a" }, Spec = new BGPPeerSpec { PeerIP = BirdAV4, AsNumber = asA } });
            await store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "tor-b" }, Spec = new BGPPeerSpec { PeerIP = BirdBV4, AsNumber = asB } });
        });
        await Eventually.Until(() => birdA.IsEstablished("agent") && birdB.IsEstablished("agent"), $"both BIRDs to establish with the agent (agent log: {agent.LogPath})");

        await Eventually.Until(() => KernelRoutes.IsMultipath(node, Shared, BirdAV4, BirdBV4), $"one route to {Shared} with next hops {BirdAV4} and {BirdBV4}");
        var shared = KernelRoutes.Show(node, Shared);
        Assert.Contains("proto 80", shared, StringComparison.Ordinal);
        Assert.Single(shared.Split('\n'), line => line.StartsWith(Shared, StringComparison.Ordinal));

        await Eventually.Until(() => KernelRoutes.IsSinglePath(node, OnlyA, BirdAV4), $"a single-path route to {OnlyA} via {BirdAV4}");
        Assert.Contains("proto 80", KernelRoutes.Show(node, OnlyA), StringComparison.Ordinal);

        // Router A stops announcing (its static routes withdrawn, the session stays up): B is left.
        birdA.Cli("disable pods");
        await Eventually.Until(() => KernelRoutes.IsSinglePath(node, Shared, BirdBV4), $"{Shared} to fall back to a single path via {BirdBV4}");
        await Eventually.Until(() => KernelRoutes.Show(node, OnlyA).Length == 0, $"{OnlyA} to leave the kernel with its only announcer");

        birdA.Cli("enable pods");
        await Eventually.Until(() => KernelRoutes.IsMultipath(node, Shared, BirdAV4, BirdBV4), $"{Shared} to get both next hops back");

        // Router B's session goes down (Cease from BIRD): the same fallback, this time to A.
        birdB.Cli("disable agent");
        await Eventually.Until(() => KernelRoutes.IsSinglePath(node, Shared, BirdAV4), $"{Shared} to fall back to a single path via {BirdAV4}");
        birdB.Cli("enable agent");
        await Eventually.Until(() => KernelRoutes.IsMultipath(node, Shared, BirdAV4, BirdBV4), $"{Shared} to get both next hops back after the session returns");
        Assert.True(KernelRoutes.IsSinglePath(node, OnlyA, BirdAV4), KernelRoutes.Show(node, OnlyA));
    }
}
