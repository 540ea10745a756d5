using System.Diagnostics;
using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPPeer spec.bfd with BIRD as the ToR (`bfd on` in its BGP protocol): `routednet-node` (the
/// published binary) brings BFD up beside the BGP session at 100 ms × 3; BIRD frozen (a hung
/// router: no NOTIFICATION, TCP still open, hold time 9 s) is detected by BFD, and the agent ends
/// the session with Cease/BFD Down and takes BIRD's route out of the kernel well before the hold
/// timer would; once BIRD runs again, BFD and BGP come back and the route returns. At each step
/// `routednetctl bgp peers` (the published binary, through the agent's API) shows the BFD session
/// as an operator reads it: state, negotiated intervals, flaps and why it last went down.
/// </summary>
public sealed class AgentBfdBirdTests(ITestOutputHelper output)
{
    private const uint TorAs = 65002;
    private const uint AgentAs = 64512;
    private const string RackPrefix = "10.10.0.0/16";

    private static string BirdConfig => BirdPeer.TorConfig($$"""
        protocol bfd { interface "*" { interval 100 ms; multiplier 3; }; }
        protocol static rack { ipv4; route {{RackPrefix}} blackhole; }
        """, TorAs, AgentAs, "bfd on;");

    private static bool RackRouteViaBird(NetNs ns) =>
        ns.Check("ip", "route", "show", RackPrefix).Stdout.Contains($"via {BgpLink.PeerV4}", StringComparison.Ordinal);

    private static bool BirdBfdUp(BirdPeer bird) => bird.BfdUp(BgpLink.OurV4);

    private static async Task<JsonElement> CtlBfdAsync(AgentProcess agent) => (await agent.OnlyPeerAsync()).GetProperty("bfd");

    [Fact]
    public async Task Agent_BfdWithBird_FrozenToRDetectedBeforeTheHoldTimer_SessionEndsWithBfdDown_BackWhenItRuns()
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
        try
        {
            // Settled too: until every peer has re-sent its routes after the agent's start, the
            // kernel keeps BGP routes (a restart's protection), withdrawn ones included.
            await Eventually.Until(
                () => bird.IsEstablished("agent") && BirdBfdUp(bird) && RackRouteViaBird(link.Ours) && File.ReadAllText(agent.LogPath).Contains("BGP routes re-learned", StringComparison.Ordinal),
                "BGP Established, BFD Up, the rack prefix via BIRD and the agent settled");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; BIRD: {bird.Cli("show protocols")}{bird.Cli("show bfd sessions")}; agent log: {File.ReadAllText(agent.LogPath)}", e);
        }

        await Eventually.Until(async () => (await CtlBfdAsync(agent)).GetProperty("state").GetString() == "Up", "routednetctl showing BFD Up");
        var up = await CtlBfdAsync(agent);
        Assert.Equal(("Up", "Up", "Hard"), (up.GetProperty("state").GetString(), up.GetProperty("remoteState").GetString(), up.GetProperty("mode").GetString()));
        // BIRD asks for 100 ms both ways as we do: 100 ms each way, 3 × 100 ms to detect.
        Assert.Equal((100.0, 100.0, 300.0), (up.GetProperty("transmitIntervalMs").GetDouble(), up.GetProperty("receiveIntervalMs").GetDouble(), up.GetProperty("detectTimeMs").GetDouble()));
        Assert.Equal((1, 0, ""), (up.GetProperty("ups").GetInt32(), up.GetProperty("downs").GetInt32(), up.GetProperty("lastDownDiagnostic").GetString()));
        Assert.NotEqual(0u, up.GetProperty("remoteDiscriminator").GetUInt32());
        var table = await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["bgp", "peers", "--node-socket", agent.ApiSocket]);
        Assert.Matches(@"\sEstablished\s+Up \(300ms\)\s", table.Stdout);

        var clock = Stopwatch.StartNew();
        bird.Freeze();
        try
        {
            try
            {
                await Eventually.Until(() => !RackRouteViaBird(link.Ours), $"{RackPrefix} out of the kernel once BFD detects the frozen ToR");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; agent log: {File.ReadAllText(agent.LogPath)}", e);
            }
            output.WriteLine($"BIRD frozen -> its route out of the node's kernel: {clock.Elapsed.TotalMilliseconds:F0} ms (BFD detection 300 ms; hold time 9 s)");
            var log = File.ReadAllText(agent.LogPath);
            Assert.Contains($"BFD declared the path to {BgpLink.PeerV4} down (ControlDetectionTimeExpired)", log, StringComparison.Ordinal);
            Assert.DoesNotContain("Hold Timer Expired", log, StringComparison.Ordinal);
            var down = await CtlBfdAsync(agent);
            Assert.Equal(("Down", 1, "ControlDetectionTimeExpired"), (down.GetProperty("state").GetString(), down.GetProperty("downs").GetInt32(), down.GetProperty("lastDownDiagnostic").GetString()));
        }
        finally
        {
            bird.Thaw();
        }

        await Eventually.Until(() => bird.IsEstablished("agent") && BirdBfdUp(bird) && RackRouteViaBird(link.Ours), "BFD, BGP and the route back once BIRD runs");
        // The agent's side comes Up one packet after BIRD's at most.
        await Eventually.Until(async () => (await CtlBfdAsync(agent)).GetProperty("state").GetString() == "Up", "routednetctl showing BFD Up again");
        var back = await CtlBfdAsync(agent);
        var (ups, downs, diagnostic) = (back.GetProperty("ups").GetInt32(), back.GetProperty("downs").GetInt32(), back.GetProperty("lastDownDiagnostic").GetString());
        // A thawed BIRD may send a packet or two from before its own detection timer fired: our
        // session can come Up on them and then be told Down once more (RFC 5880 §6.8.6), so one
        // extra Down/Up pair is the protocol, not a flap. Every Down was followed by an Up.
        Assert.True(back.GetProperty("state").GetString() == "Up" && downs is 1 or 2 && ups == downs + 1
            && diagnostic is "ControlDetectionTimeExpired" or "NeighborSignaledSessionDown",
            $"BFD after BIRD thawed: {back}");
        // BIRD read why its session ended: the agent's Cease/BFD Down (RFC 9384), sent as BIRD thawed.
        output.WriteLine(bird.Cli("show protocols all agent"));
    }
}
