using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// How a `routednet-node` (the published binary) leaves its peers. Stopped with SIGTERM, as a
/// kubelet or systemd stops it for a restart or an upgrade, it closes its sessions without a
/// NOTIFICATION: a peer with graceful restart keeps its routes until the next agent is back (a
/// Cease would make the peer drop them at once, and BIRD 2.0 has no RFC 8538 to keep them through
/// one). Taken out of service with `routednetctl node drain`, it tells its peers why (RFC 4486 §4:
/// Cease / Administrative Shutdown). BIRD decodes the NOTIFICATION itself, so the assertions are on
/// the wire, not on our own decoder; it is passive, so its "Last error" is never overwritten by a
/// reconnect attempt of its own.
/// </summary>
public sealed class AgentShutdownBirdTests
{
    private const uint BirdAs = 65002;

    /// <summary>The agent's AS when neither its Node nor a BGPConfiguration sets one (Calico's default).</summary>
    private const uint AgentAs = 64512;

    private static string BirdConfig => $$"""
        router id {{BgpLink.PeerV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol bgp agent {
            local {{BgpLink.PeerV4}} as {{BirdPeer.Format(BirdAs)}};
            neighbor {{BgpLink.OurV4}} as {{BirdPeer.Format(AgentAs)}};
            passive on;
            graceful restart on;
            {{BirdPeer.FastTimers}}
            ipv4 { import all; export none; };
        }
        """;

    private static async Task<(BgpLink Link, BirdPeer Bird, AgentProcess Agent)> StartAsync()
    {
        var link = new BgpLink();
        var bird = BirdPeer.Start(link.Peer, BirdConfig);
        var agent = await AgentProcess.StartAsync(
            link.Ours,
            BgpLink.OurV4,
            store => store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "bird" }, Spec = new BGPPeerSpec { PeerIP = BgpLink.PeerV4, AsNumber = BirdAs } }));
        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD to establish with the agent (agent log: {agent.LogPath})");
        return (link, bird, agent);
    }

    [Fact]
    public async Task Agent_Sigterm_ClosesWithoutNotificationSoThePeerRestartsGracefully()
    {
        var (link, bird, agent) = await StartAsync();
        using (link)
        using (bird)
        using (agent)
        {
            agent.Signal(15);
            Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(20)), "the agent did not stop on SIGTERM");

            await Eventually.Until(() => !bird.IsEstablished("agent"), "BIRD to see the session end");
            var protocol = bird.Cli("show protocols all agent");
            // BIRD prints "Received: <reason>" for a NOTIFICATION and, with graceful restart
            // negotiated, holds the peer's routes while its neighbor "graceful restart" timer runs.
            Assert.DoesNotContain("Received:", protocol, StringComparison.Ordinal);
            Assert.Contains("Neighbor graceful restart active", protocol, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Agent_NodeDrain_PeerReceivesCeaseAdministrativeShutdown()
    {
        var (link, bird, agent) = await StartAsync();
        using (link)
        using (bird)
        using (agent)
        {
            var drained = (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["node", "drain", "--node-socket", agent.ApiSocket])).EnsureSuccess();
            Assert.Contains(BgpLink.PeerV4, drained.Stdout, StringComparison.Ordinal);

            // BIRD's wording for a received NOTIFICATION 6/2 (its bgp_err_classes and bgp_msg_table).
            await Eventually.Until(
                () => bird.Cli("show protocols all agent").Contains("Received: Administrative shutdown", StringComparison.Ordinal),
                "BIRD to report the agent's Cease / Administrative Shutdown");
            Assert.DoesNotContain("Established", bird.Cli("show protocols agent"), StringComparison.Ordinal);
            var status = (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["node", "status", "--node-socket", agent.ApiSocket])).EnsureSuccess();
            Assert.Contains("DRAINED", status.Stdout, StringComparison.Ordinal);
            // Drained means out of BGP until a restart: BIRD is passive, and the agent does not come back.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.DoesNotContain("Established", bird.Cli("show protocols agent"), StringComparison.Ordinal);
        }
    }
}
