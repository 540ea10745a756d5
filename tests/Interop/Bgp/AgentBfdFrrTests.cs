using System.Diagnostics;
using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// BGPPeer spec.bfd with FRR 8.4 as the ToR (bfdd, `neighbor X bfd`, its default 300 ms × 3):
/// `routednet-node` (the published binary) and bfdd bring the session Up both ways, each side's
/// `show` agrees on the negotiated timers; FRR frozen (SIGSTOP of zebra, bfdd and bgpd: a hung
/// router) is detected by our BFD, which ends the BGP session with Cease/BFD Down and takes FRR's
/// route out of the kernel long before the 9 s hold time; the agent frozen is detected by bfdd,
/// and FRR's bgpd drops the session for "BFD down"; after each, everything comes back.
/// </summary>
public sealed class AgentBfdFrrTests(ITestOutputHelper output)
{
    private const uint TorAs = 65003;
    private const uint AgentAs = 64512;
    private const string RackPrefix = "10.10.3.0/24";

    private static string FrrConfig => $"""
        frr defaults datacenter
        hostname rnt-frr
        log file @DIR@/bgpd.log debugging
        router bgp {TorAs}
         bgp router-id {BgpLink.PeerV4}
         no bgp ebgp-requires-policy
         no bgp network import-check
         neighbor {BgpLink.OurV4} remote-as {AgentAs}
         neighbor {BgpLink.OurV4} bfd
         address-family ipv4 unicast
          network {RackPrefix}
         exit-address-family
        """;

    private static bool RackRouteViaFrr(NetNs ns) =>
        ns.Check("ip", "route", "show", RackPrefix).Stdout.Contains($"via {BgpLink.PeerV4}", StringComparison.Ordinal);

    private static string FrrBfdStatus(FrrPeer frr) => frr.BfdPeer(BgpLink.OurV4)?.GetProperty("status").GetString() ?? "(none)";

    private static async Task<JsonElement> CtlBfdAsync(AgentProcess agent) => (await agent.OnlyPeerAsync()).GetProperty("bfd");

    private static async Task<bool> BothUpAsync(FrrPeer frr, AgentProcess agent) =>
        FrrBfdStatus(frr) == "up" && (await CtlBfdAsync(agent)).GetProperty("state").GetString() == "Up";

    private static string Diagnostics(FrrPeer frr, AgentProcess agent) =>
        $"FRR: {frr.Vty("show bgp summary")}{frr.Vty("show bfd peers")}; agent log: {File.ReadAllText(agent.LogPath)}";

    [Fact]
    public async Task Agent_BfdWithFrr_UpBothWays_EachSideDetectsTheOtherFrozen_BgpEndsOnBfdDown()
    {
        using var link = new BgpLink();
        using var frr = FrrPeer.Start(link.Peer, FrrConfig, bfd: true);
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
                    Bfd = new BGPPeerBfd { ReceiveInterval = 300, TransmitInterval = 300, DetectMultiplier = 3 },
                },
            });
        });
        try
        {
            await Eventually.Until(
                async () => frr.IsEstablished(BgpLink.OurV4) && await BothUpAsync(frr, agent) && RackRouteViaFrr(link.Ours)
                    && File.ReadAllText(agent.LogPath).Contains("BGP routes re-learned", StringComparison.Ordinal),
                "BGP Established, BFD Up on both sides, FRR's prefix in the node's kernel and the agent settled",
                TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {Diagnostics(frr, agent)}", e);
        }

        // Both sides agree on what was negotiated: 300 ms each way, 3 × 300 ms to detect.
        var theirs = frr.BfdPeer(BgpLink.OurV4)!.Value;
        Assert.Equal((300, 300, 3), (theirs.GetProperty("remote-receive-interval").GetInt32(), theirs.GetProperty("remote-transmit-interval").GetInt32(), theirs.GetProperty("remote-detect-multiplier").GetInt32()));
        var ours = await CtlBfdAsync(agent);
        Assert.Equal((300.0, 300.0, 900.0), (ours.GetProperty("transmitIntervalMs").GetDouble(), ours.GetProperty("receiveIntervalMs").GetDouble(), ours.GetProperty("detectTimeMs").GetDouble()));
        Assert.Equal(theirs.GetProperty("id").GetUInt32(), ours.GetProperty("remoteDiscriminator").GetUInt32());
        Assert.Equal(ours.GetProperty("localDiscriminator").GetUInt32(), theirs.GetProperty("remote-id").GetUInt32());

        // FRR hung: our BFD detects it and ends BGP; its route leaves the kernel before the hold time.
        var clock = Stopwatch.StartNew();
        frr.Freeze();
        try
        {
            await Eventually.Until(() => !RackRouteViaFrr(link.Ours), $"{RackPrefix} out of the kernel once BFD detects the frozen FRR");
            output.WriteLine($"FRR frozen -> its route out of the node's kernel: {clock.Elapsed.TotalMilliseconds:F0} ms (BFD detection 900 ms; hold time 9 s)");
            var log = File.ReadAllText(agent.LogPath);
            Assert.Contains($"BFD declared the path to {BgpLink.PeerV4} down (ControlDetectionTimeExpired)", log, StringComparison.Ordinal);
            Assert.DoesNotContain("Hold Timer Expired", log, StringComparison.Ordinal);
        }
        finally
        {
            frr.Thaw();
        }
        try
        {
            await Eventually.Until(
                async () => frr.IsEstablished(BgpLink.OurV4) && await BothUpAsync(frr, agent) && RackRouteViaFrr(link.Ours),
                "BFD, BGP and FRR's route back once FRR runs", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {Diagnostics(frr, agent)}", e);
        }

        // The node hung: bfdd detects it and FRR's bgpd drops the session for it.
        agent.Signal(19);
        try
        {
            await Eventually.Until(() => FrrBfdStatus(frr) == "down" && !frr.IsEstablished(BgpLink.OurV4), "bfdd to detect the frozen agent and bgpd to drop the session");
            var neighbor = frr.Vty($"show bgp neighbors {BgpLink.OurV4} json");
            output.WriteLine(neighbor);
            Assert.Contains("BFD down", neighbor, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Hold Timer", neighbor, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            agent.Signal(18);
        }
        try
        {
            await Eventually.Until(
                async () => frr.IsEstablished(BgpLink.OurV4) && await BothUpAsync(frr, agent) && RackRouteViaFrr(link.Ours),
                "BFD, BGP and FRR's route back once the agent runs", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {Diagnostics(frr, agent)}", e);
        }
        output.WriteLine(frr.Vty("show bfd peers"));
    }
}
