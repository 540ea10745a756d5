using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// `routednetctl node drain NODE` under traffic (issue 17 "Drain"): a LoadBalancer VIP with
/// externalTrafficPolicy Local and endpoints on node1 and node2, numbered UDP from the router to it
/// in 16 flows (ECMP spreads them over both nodes), and node1 drained. The lab's router lowers
/// LOCAL_PREF to 0 for GRACEFUL_SHUTDOWN (65535:0, its import rule): while node1's route is still
/// in the router's table, its FIB already forwards the VIP to node2 only, and node1's pod gets no
/// datagram from then on; node1 then withdraws and closes. Not one datagram is lost, and `node
/// uncordon` brings node1 back. (A restart while drained is Felix.Tests BgpDrainHostTests: `lab
/// restart-node` waits for routes to every pod, which a drained node never gets.)
/// </summary>
public abstract partial class LabDrainTests(LabFixture lab, ITestOutputHelper output)
{
    private const string LbRange = "198.51.100.0/24";
    private const string Vip = "198.51.100.30";
    private const string StandIn = "rntest_drain_proxy_stand_in";
    private const int Port = 7900;
    private const int Flows = 16;
    private const int WaitSeconds = 10;

    protected async Task Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLostAsync()
    {
        var state = await lab.Cli.StatusAsync();
        var datastore = DatastoreOf(state.Nodes[0]);
        var router = TorRouter.Find(state.Nodes[0]);
        Assert.True(router.Forwards, $"{router} installs no routes: traffic cannot be sent through it");
        var nft = Tools.Require("/usr/sbin/nft", "nftables");
        var (node1, node2) = (state.Nodes[0], state.Nodes[1]);
        var (a1, a2) = (node1.Address.Split('/')[0], node2.Address.Split('/')[0]);
        var pods = new[] { state.PodsOn(node1.Name).First(), state.PodsOn(node2.Name).First() };
        var block1 = (await BlocksAsync(node1)).First();
        var hashPolicy = Proc.Check("ip", "netns", "exec", router.Namespace, "sysctl", "-n", "net.ipv4.fib_multipath_hash_policy").Stdout.Trim();
        await SetLbRangeAsync(datastore, [LbRange]);
        await lab.Cli.LabAsync("add-service", "drained", "--type", "LoadBalancer", "--external-traffic-policy", "Local", "--ip", Vip, "--endpoints", string.Join(',', pods.Select(p => p.Name)));
        var flows = new List<NumberedUdpFlow>();
        var reports = new List<FlowReport>();
        try
        {
            await ExpectFibAsync(router, [a1, a2]);
            foreach (var pod in pods)
            {
                // No service proxy in the lab: DNAT the VIP to the node's own endpoint pod, as kube-proxy does for Local.
                NftApply(nft, state.Node(pod.Node).Namespace, $"chain prerouting {{ type nat hook prerouting priority dstnat; ip daddr {Vip} udp dport {Port}-{Port + Flows - 1} dnat to {pod.Ip}; }}");
            }
            // Ports in the multipath hash, so the flows (one source port each) spread over both nodes.
            Proc.Check("ip", "netns", "exec", router.Namespace, "sysctl", "-qw", "net.ipv4.fib_multipath_hash_policy=1");
            var receivers = pods.Select(p => (p.NamespacePath, IPAddress.Any)).ToList();
            for (var i = 0; i < Flows; i++)
            {
                flows.Add(new NumberedUdpFlow($"tor->{Vip}:{Port + i}", $"/run/netns/{router.Namespace}", receivers, IPAddress.Parse(Vip), Port + i, packetsPerSecond: 25));
            }
            foreach (var flow in flows)
            {
                await Eventually.Until(() => flow.Running, $"{flow.Name} to deliver its first datagram");
            }
            await Eventually.Until(() => flows.Sum(f => f.ReceivedBy(0)) > 0 && flows.Sum(f => f.ReceivedBy(1)) > 0, "datagrams to reach both endpoint pods before the drain");
            // A second of traffic through both nodes first: what node1 carried is what must move.
            await Task.Delay(TimeSpan.FromSeconds(1));

            var clock = Stopwatch.StartNew();
            output.WriteLine(await LabCli.CheckAsync("--datastore", datastore, "node", "drain", node1.Name, "--wait", $"{WaitSeconds}s"));

            // Traffic moves before the withdraw: node1's route is still in the router's table (with
            // 65535:0), but the router's FIB forwards the VIP to node2 only.
            await Eventually.Until(
                () => KernelNextHops(router.Namespace, Vip + "/32").SequenceEqual([a2]) && router.NextHops(Vip + "/32").Contains(a1),
                $"{router} to keep node1's route to {Vip} but forward to node2 only");
            var moved = clock.Elapsed;
            Assert.True(moved < TimeSpan.FromSeconds(WaitSeconds), $"the FIB moved only after {moved.TotalSeconds:0.0} s, past the {WaitSeconds} s before the withdraw");
            Assert.Contains(GracefulShutdownText(router), router.Detail(Vip + "/32"), StringComparison.Ordinal);
            Assert.Contains("DRAINING", await LabCli.CheckAsync("node", "status", "--node-socket", node1.ApiSocket), StringComparison.Ordinal);
            Assert.Contains("Established (graceful shutdown)", await LabCli.CheckAsync("bgp", "peers", "--node-socket", node1.ApiSocket), StringComparison.Ordinal);
            output.WriteLine($"FIB via node2 only after {moved.TotalSeconds:0.00} s, node1's route still there");
            // What was in flight to node1 lands; nothing after.
            await Task.Delay(300);
            var atNode1 = flows.Sum(f => f.ReceivedBy(0));

            // Then withdrawn and closed: node1's routes leave the router.
            await Eventually.Until(() => !router.NextHops(Vip + "/32").Contains(a1) && !router.Has(block1), $"{router} to lose node1's routes after the withdraw");
            output.WriteLine($"node1 withdrawn after {clock.Elapsed.TotalSeconds:0.00} s");
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(WaitSeconds - 1), $"node1 withdrew after {clock.Elapsed.TotalSeconds:0.0} s, before its {WaitSeconds} s wait");
            await Eventually.Until(async () => (await LabCli.CheckAsync("bgp", "peers", "--node-socket", node1.ApiSocket)).Contains("Idle (drained)", StringComparison.Ordinal), "node1's peers to show the drain");
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var flow in flows)
            {
                flow.StopSending();
            }
            await Task.Delay(500);
            reports.AddRange(flows.Select(f => f.Report()));
            var lost = reports.Sum(r => r.Missing.Count);
            output.WriteLine($"{Flows} flows: sent {reports.Sum(r => r.Sent)}, lost {lost}; node1's pod got {flows.Sum(f => f.ReceivedBy(0))}, node2's {flows.Sum(f => f.ReceivedBy(1))}");
            Assert.All(reports, r => Assert.True(r.Missing.Count == 0 && r.Received > 0, $"datagrams lost while node1 drained ({router}): {r}"));
            Assert.Equal(atNode1, flows.Sum(f => f.ReceivedBy(0)));

            Assert.Contains("DRAINED", await LabCli.CheckAsync("node", "status", "--node-socket", node1.ApiSocket), StringComparison.Ordinal);

            output.WriteLine(await LabCli.CheckAsync("--datastore", datastore, "node", "uncordon", node1.Name));
            await ExpectFibAsync(router, [a1, a2]);
            await Eventually.Until(() => router.Has(block1), $"{router} to hold node1's block again");
        }
        finally
        {
            foreach (var flow in flows)
            {
                flow.Dispose();
            }
            await LabCli.RunAsync("--datastore", datastore, "node", "uncordon", node1.Name);
            Proc.Run("ip", "netns", "exec", router.Namespace, "sysctl", "-qw", $"net.ipv4.fib_multipath_hash_policy={hashPolicy}");
            foreach (var node in new[] { node1, node2 })
            {
                Proc.Run("ip", "netns", "exec", node.Namespace, nft, "delete", "table", "ip", StandIn);
            }
            await lab.Cli.LabAsync("del-service", "drained");
            await SetLbRangeAsync(datastore, []);
        }
    }

    /// <summary>How the router prints 65535:0 in a route's detail.</summary>
    private static string GracefulShutdownText(TorRouter router) => router.ToString().Contains("birdc", StringComparison.Ordinal) ? "(65535,0)" : "graceful-shutdown";

    private async Task ExpectFibAsync(TorRouter router, string[] want)
    {
        await Eventually.Until(() => KernelNextHops(router.Namespace, Vip + "/32").SequenceEqual(want), $"{router.Namespace}'s kernel to route {Vip} via [{string.Join(", ", want)}]");
        output.WriteLine($"{Vip}: [{string.Join(", ", want)}]");
    }

    private static List<string> KernelNextHops(string ns, string prefix) =>
        Via().Matches(Proc.Check("ip", "-n", ns, "-4", "route", "show", "exact", prefix).Stdout).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"via (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex Via();

    private static void NftApply(string nft, string ns, string chain) =>
        Proc.Check("bash", "-c", $"printf '%s\\n' 'table ip {StandIn} {{ {chain}; }}' | ip netns exec {ns} {nft} -f -");

    private static async Task<IReadOnlyList<string>> BlocksAsync(LabNode node)
    {
        using var json = JsonDocument.Parse(await LabCli.CheckAsync("node", "status", "--node-socket", node.ApiSocket, "-o", "json"));
        return [.. json.RootElement.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()!)];
    }

    private static async Task SetLbRangeAsync(string datastore, string[] loadBalancerIPs)
    {
        var config = JsonNode.Parse(await LabCli.CheckAsync("--datastore", datastore, "get", "bgpconfiguration", "default", "-o", "json"))!.AsObject();
        config["spec"]!.AsObject()["serviceLoadBalancerIPs"] = new JsonArray([.. loadBalancerIPs.Select(c => (JsonNode)new JsonObject { ["cidr"] = c })]);
        (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["--datastore", datastore, "apply", "-f", "-"], stdin: config.ToJsonString())).EnsureSuccess();
    }

    private static string DatastoreOf(LabNode node)
    {
        var argv = File.ReadAllText($"/proc/{node.AgentPid}/cmdline").Split('\0');
        var i = Array.IndexOf(argv, "--datastore");
        return i >= 0 ? argv[i + 1] : throw new InvalidOperationException($"{node.Name}'s agent has no --datastore: {string.Join(' ', argv)}");
    }
}

[Collection(LabCollection.Name)]
public sealed class LabDrainBirdTests(BirdLabFixture lab, ITestOutputHelper output) : LabDrainTests(lab, output), IClassFixture<BirdLabFixture>
{
    [Fact]
    public Task Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLost() => Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLostAsync();
}

[Collection(LabCollection.Name)]
public sealed class LabDrainFrrTests(FrrLabFixture lab, ITestOutputHelper output) : LabDrainTests(lab, output), IClassFixture<FrrLabFixture>
{
    [Fact]
    public Task Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLost() => Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLostAsync();
}

/// <summary>Every agent with `--bgp-backend gobgp`: its gobgpd sends the community (export policy) for the wait; BIRD as the router.</summary>
[Collection(LabCollection.Name)]
public sealed class LabDrainGoBgpBackendTests(GoBgpBackendLabFixture lab, ITestOutputHelper output) : LabDrainTests(lab, output), IClassFixture<GoBgpBackendLabFixture>
{
    [Fact]
    public Task Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLost() => Drain_UnderTrafficToAVip_TrafficMovesBeforeTheWithdraw_NothingLostAsync();
}
