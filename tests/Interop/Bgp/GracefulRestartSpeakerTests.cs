using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>Graceful restart with our speaker as the restarting side: kill -9 it, BIRD keeps its routes, it comes back.</summary>
public sealed class GracefulRestartSpeakerTests
{
    private static string HostConfig(bool restarting) => $$"""
        {
          "asn": 65001, "routerId": "{{BgpLink.OurV4}}", "restartTimeSeconds": 120, "restarting": {{(restarting ? "true" : "false")}},
          "peers": [ { "address": "{{BgpLink.PeerV4}}", "remoteAs": 65002, "localAddress": "{{BgpLink.OurV4}}",
                       "holdTimeSeconds": 9, "families": ["ipv4"], "allowed": ["10.10.0.0/16 le 32"] } ],
          "originate": [ "10.10.1.0/24" ]
        }
        """;

    private static readonly string BirdConfig = $$"""
        router id {{BgpLink.PeerV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol direct { ipv4; }
        protocol static s4 { ipv4; route 10.10.2.0/24 blackhole; }
        protocol bgp ours {
            local {{BgpLink.PeerV4}} as 65002;
            neighbor {{BgpLink.OurV4}} as 65001;
            {{BirdPeer.FastTimers}}
            graceful restart on;
            ipv4 { import all; export where source = RTS_STATIC; };
        }
        """;

    [Fact]
    public async Task OurSpeakerKilled_PeerKeepsOurRoutesUntilWeAreBack()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig);
        var host = SpeakerHostProcess.Start(link.Ours, HostConfig(restarting: false));
        try
        {
            await Eventually.Until(() => bird.HasRoute("10.10.1.0/24", "ours"), "BIRD learns our block", TimeSpan.FromSeconds(60));

            host.Kill();

            await Eventually.Until(() => !bird.IsEstablished("ours"), "BIRD notices the session is gone");
            Assert.True(bird.HasRoute("10.10.1.0/24", "ours"), "BIRD dropped our route although we announced graceful restart:\n" + bird.Route("10.10.1.0/24"));

            host.Dispose();
            host = SpeakerHostProcess.Start(link.Ours, HostConfig(restarting: true));

            await Eventually.Until(() => bird.IsEstablished("ours"), "the restarted speaker is back", TimeSpan.FromSeconds(60));
            // We deferred until BIRD's End-of-RIB, then sent our table and our End-of-RIB, after which
            // BIRD sweeps whatever we did not send again: our block must have been re-announced.
            await Eventually.Until(() => host.Log().Contains("route selection resumed", StringComparison.Ordinal), "our selection deferral ends");
            await Eventually.Until(() => bird.Cli("show protocols all ours").Contains("Routes:         1 imported, 1 exported", StringComparison.Ordinal), "BIRD counts our re-announced route");
            Assert.True(bird.HasRoute("10.10.1.0/24", "ours"), "our route is missing after the restart:\n" + host.Log());
        }
        finally
        {
            host.Dispose();
        }
    }
}
