using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// The short version of bench/bfd-soak.sh: `routednet-node` and BIRD at 100 ms × 3 (detection in
/// 300 ms) for 20 s while one busy loop per CPU keeps every core loaded, as a node running hot
/// workloads does. A BFD that shares the thread pool, or stalls on garbage collection, misses its
/// packets under such load and tears BGP down for nothing; ours must not flap once, on either end.
/// </summary>
public sealed class AgentBfdSoakBirdTests(ITestOutputHelper output)
{
    private const uint TorAs = 65002;
    private const uint AgentAs = 64512;
    private static readonly TimeSpan Soak = TimeSpan.FromSeconds(20);

    private static string BirdConfig => BirdPeer.TorConfig(
        """protocol bfd { debug { states }; interface "*" { interval 100 ms; multiplier 3; }; }""", TorAs, AgentAs, "bfd on;");

    private static bool BirdBfdUp(BirdPeer bird) => bird.BfdUp(BgpLink.OurV4);

    private static int BirdBfdDowns(BirdPeer bird) =>
        bird.Log().Split('\n').Count(l => l.Contains($"Session to {BgpLink.OurV4} changed state from Up to Down", StringComparison.Ordinal));

    private static Task<JsonElement> CtlPeerAsync(AgentProcess agent) => agent.OnlyPeerAsync();

    [Fact]
    public async Task Agent_BfdWithBird_EveryCoreBusyFor20s_NoFlapOnEitherEnd()
    {
        using var link = new BgpLink();
        using var bird = BirdPeer.Start(link.Peer, BirdConfig);
        using var agent = await AgentProcess.StartAsync(link.Ours, BgpLink.OurV4, async store =>
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.65.0.0/16", BlockSize = 26 } });
            await store.CreateAsync(new BGPPeer
            {
                Metadata = new ObjectMeta { Name = "tor" },
                Spec = new BGPPeerSpec
                {
                    PeerIP = BgpLink.PeerV4,
                    AsNumber = TorAs,
                    Bfd = new BGPPeerBfd { ReceiveInterval = 100, TransmitInterval = 100, DetectMultiplier = 3 },
                },
            });
        });
        await Eventually.Until(
            async () => bird.IsEstablished("agent") && BirdBfdUp(bird) && (await CtlPeerAsync(agent)).GetProperty("bfd").GetProperty("state").GetString() == "Up",
            "BGP Established and BFD Up on both ends");
        var before = await CtlPeerAsync(agent);
        var birdDownsBefore = BirdBfdDowns(bird);

        var burners = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => System.Diagnostics.Process.Start("sh", ["-c", "while :; do :; done"]))
            .ToList();
        try
        {
            // A soak lasts what it lasts: the behaviour asserted is "nothing happened meanwhile".
            await Task.Delay(Soak);
        }
        finally
        {
            foreach (var burner in burners)
            {
                burner.Kill();
                burner.WaitForExit();
                burner.Dispose();
            }
        }

        var after = await CtlPeerAsync(agent);
        output.WriteLine($"after {Soak.TotalSeconds} s with {burners.Count} busy loops: {after}");
        Assert.Equal("Up", after.GetProperty("bfd").GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("bfd").GetProperty("downs").GetInt32(), after.GetProperty("bfd").GetProperty("downs").GetInt32());
        Assert.Equal(before.GetProperty("bfd").GetProperty("ups").GetInt32(), after.GetProperty("bfd").GetProperty("ups").GetInt32());
        Assert.Equal(before.GetProperty("counters").GetProperty("flaps").GetInt32(), after.GetProperty("counters").GetProperty("flaps").GetInt32());
        Assert.Equal(birdDownsBefore, BirdBfdDowns(bird));
        Assert.True(bird.IsEstablished("agent"));
    }
}
