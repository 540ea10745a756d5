using System.Globalization;
using System.Text.RegularExpressions;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// A cluster behind a route reflector: the reflector (our speaker, bench/bgp-host) is killed -9 and
/// started again. Its clients negotiated graceful restart with it, so `routednet-node` (the
/// published binary) keeps the route it learned through the reflector in the kernel all the while,
/// as stale, and traffic on it never stops; the restarted reflector defers its selection until both
/// clients sent End-of-RIB, sends the route again, and the client's sweep leaves it in place.
/// One LAN (a bridge in the node's namespace): the agent's node, a BIRD client announcing a pod
/// block, and the reflector.
/// </summary>
public sealed partial class RouteReflectorRestartTests
{
    private const uint ClusterAs = 64512;
    private const string NodeV4 = "198.18.1.1";
    private const string BirdV4 = "198.18.1.2";
    private const string ReflectorV4 = "198.18.1.10";
    private const string Block = "10.65.9.0/26";

    /// <summary>An address inside <see cref="Block"/> that BIRD's namespace answers, for the ping.</summary>
    private const string InBlock = "10.65.9.1";

    private static string ReflectorConfig(bool restarting) => $$"""
        {
          "asn": {{ClusterAs}}, "routerId": "{{ReflectorV4}}", "listenAddresses": ["{{ReflectorV4}}"],
          "restartTimeSeconds": 120, "restarting": {{(restarting ? "true" : "false")}},
          "peers": [
            { "address": "{{BirdV4}}", "remoteAs": {{ClusterAs}}, "localAddress": "{{ReflectorV4}}", "holdTimeSeconds": 9, "families": ["ipv4"],
              "routeReflectorClient": true, "exportLearned": true, "allowed": ["10.65.0.0/16 le 32"] },
            { "address": "{{NodeV4}}", "remoteAs": {{ClusterAs}}, "localAddress": "{{ReflectorV4}}", "holdTimeSeconds": 9, "families": ["ipv4"],
              "routeReflectorClient": true, "exportLearned": true, "allowed": ["10.65.0.0/16 le 32"] }
          ]
        }
        """;

    private static readonly string BirdConfig = $$"""
        router id {{BirdV4}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 2; }
        protocol static pods { ipv4; route {{Block}} blackhole; }
        protocol bgp reflector {
            local {{BirdV4}} as {{ClusterAs}};
            neighbor {{ReflectorV4}} as {{ClusterAs}};
            {{BirdPeer.FastTimers}}
            graceful restart on;
            ipv4 { import all; export where proto = "pods"; };
        }
        """;

    [Fact]
    public async Task Reflector_KilledAndRestarted_ClientKeepsTheReflectedRouteAndItsTraffic()
    {
        using var node = NetNs.Create();
        using var birdNs = NetNs.Create();
        using var reflectorNs = NetNs.Create();
        NodeLan.Create(node, NodeV4);
        NodeLan.Attach(node, "lan1", birdNs, BirdV4);
        NodeLan.Attach(node, "lan2", reflectorNs, ReflectorV4);
        birdNs.Check("ip", "addr", "add", $"{InBlock}/32", "dev", "lo");

        using var bird = BirdPeer.Start(birdNs, BirdConfig);
        var reflector = SpeakerHostProcess.Start(reflectorNs, ReflectorConfig(restarting: false));
        Daemon? ping = null;
        try
        {
            using var agent = await AgentProcess.StartAsync(node, NodeV4, async store =>
            {
                await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.65.0.0/16", BlockSize = 26 } });
                await store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "rr" }, Spec = new BGPPeerSpec { PeerIP = ReflectorV4, AsNumber = ClusterAs } });
            });
            await Eventually.Until(() => KernelRoute(node).Contains($"via {BirdV4}", StringComparison.Ordinal), $"the agent to install {Block} via {BirdV4} (agent log: {agent.LogPath})", TimeSpan.FromSeconds(60));

            // From here on: the route sampled every 20 ms, and a ping every 50 ms along it.
            ping = Daemon.Start("ping", ["-n", "-i", "0.05", InBlock], node);
            using var sampling = new CancellationTokenSource();
            var samples = 0;
            var missing = 0;
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    samples++;
                    if (!KernelRoute(node).Contains($"via {BirdV4}", StringComparison.Ordinal))
                    {
                        missing++;
                    }
                    await Task.Delay(20);
                }
            });

            reflector.Kill();
            await Eventually.Until(async () => (await agent.OnlyPeerAsync()).GetProperty("state").GetString() != "Established", "the agent to notice the reflector is gone");
            await Task.Delay(TimeSpan.FromSeconds(3));   // the reflector stays down a while
            reflector.Dispose();
            reflector = SpeakerHostProcess.Start(reflectorNs, ReflectorConfig(restarting: true));
            await Eventually.Until(async () => (await agent.OnlyPeerAsync()).GetProperty("state").GetString() == "Established", "the agent's session to the restarted reflector", TimeSpan.FromSeconds(60));
            await Eventually.Until(() => reflector.Log().Contains("route selection resumed", StringComparison.Ordinal), "the reflector's selection deferral to end (both clients' End-of-RIB)", TimeSpan.FromSeconds(60));
            // The reflector sends the block and End-of-RIB as its deferral ends; the agent then sweeps
            // whatever stayed stale, which must not be the block.
            await Eventually.Until(async () => (await agent.OnlyPeerAsync()).GetProperty("counters").GetProperty("prefixesAccepted").GetInt32() == 1, "the agent to accept the block from the restarted reflector");
            await Task.Delay(TimeSpan.FromSeconds(2));

            await sampling.CancelAsync();
            await sampler;
            ping.Signal(2);
            ping.WaitForExit(TimeSpan.FromSeconds(5));
            var summary = Summary().Match(File.ReadAllText(ping.LogPath));
            Assert.True(summary.Success, "no ping summary:\n" + File.ReadAllText(ping.LogPath));
            var sent = int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
            var received = int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture);
            Console.WriteLine($"reflector restart: route present in {samples - missing}/{samples} samples, ping {received}/{sent}");
            Assert.Equal(0, missing);
            Assert.True(sent > 50, $"only {sent} pings sent");
            Assert.True(received >= sent - 1, $"{sent - received} of {sent} pings lost through the reflector's restart");   // the last may be cut by the SIGINT
            Assert.Contains($"via {BirdV4}", KernelRoute(node), StringComparison.Ordinal);
        }
        finally
        {
            ping?.Dispose();
            reflector.Dispose();
        }
    }

    private static string KernelRoute(NetNs node) => node.Check("ip", "route", "show", Block, "proto", "80").Stdout;

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex Summary();
}
