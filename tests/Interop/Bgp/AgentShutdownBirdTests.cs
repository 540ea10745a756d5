using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// A `routednet-node` (the published binary) stopped with SIGTERM, as a kubelet or systemd stops it,
/// must tell its peers why (RFC 4486 §4: Cease / Administrative Shutdown), not just drop TCP: a peer
/// that sees a bare close or a hold-timer expiry keeps stale routes and alarms as for a crash.
/// BIRD decodes the NOTIFICATION itself, so the assertion is on the wire, not on our own decoder;
/// it is passive, so its "Last error" is never overwritten by a reconnect attempt of its own.
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
            {{BirdPeer.FastTimers}}
            ipv4 { import all; export none; };
        }
        """;

    [Fact]
    public async Task Agent_Sigterm_PeerReceivesCeaseAdministrativeShutdown()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig);
        using var agent = await AgentProcess.StartAsync(
            link.Ours,
            BgpLink.OurV4,
            store => store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "bird" }, Spec = new BGPPeerSpec { PeerIP = BgpLink.PeerV4, AsNumber = BirdAs } }));
        await Eventually.Until(() => bird.IsEstablished("agent"), $"BIRD to establish with the agent (agent log: {agent.LogPath})");

        agent.Signal(15);
        Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(20)), "the agent did not stop on SIGTERM");

        // BIRD's wording for a received NOTIFICATION 6/2 (its bgp_err_classes and bgp_msg_table).
        await Eventually.Until(
            () => bird.Cli("show protocols all agent").Contains("Received: Administrative shutdown", StringComparison.Ordinal),
            "BIRD to report the agent's Cease / Administrative Shutdown");
        Assert.DoesNotContain("Established", bird.Cli("show protocols agent"), StringComparison.Ordinal);
    }
}
