using System.Globalization;
using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// Traffic from the router to a Local VIP: it reaches only the nodes with a ready endpoint. No
/// service proxy runs in the lab, so a test-only nftables table named
/// <see cref="StandIn"/> DNATs the VIP to the node's own endpoint pod, as kube-proxy would for
/// externalTrafficPolicy Local; a node without an endpoint gets the same table with a counter only.
/// </summary>
public abstract partial class LabServiceTests
{
    private const string StandIn = "rntest_service_proxy_stand_in";
    private const string TrafficVip = "198.51.100.20";
    private const int Flows = 200;

    /// <summary>For routers that install routes (BIRD, FRR): 200 UDP datagrams, each from a new socket (source port), from the router to the VIP.</summary>
    protected async Task TrafficFromTheRouter_ReachesOnlyNodesWithEndpointsAsync()
    {
        var state = await lab.Cli.StatusAsync();
        var datastore = DatastoreOf(state.Nodes[0]);
        var router = TorRouter.Find(state.Nodes[0]);
        Assert.True(router.Forwards, $"{router} installs no routes: traffic cannot be sent through it");
        var nft = Tools.Require("/usr/sbin/nft", "nftables");
        var endpoints = new[] { state.PodsOn(state.Nodes[0].Name).First(), state.PodsOn(state.Nodes[1].Name).First() };
        var idle = state.Nodes[2];
        var hashPolicy = Proc.Check("ip", "netns", "exec", router.Namespace, "sysctl", "-n", "net.ipv4.fib_multipath_hash_policy").Stdout.Trim();
        await SetServiceRangesAsync(datastore, [], [LbRange]);
        await lab.Cli.LabAsync("add-service", "traffic", "--type", "LoadBalancer", "--external-traffic-policy", "Local", "--ip", TrafficVip, "--endpoints", string.Join(',', endpoints.Select(p => p.Name)));
        try
        {
            await ExpectNextHopsAsync(router, TrafficVip + "/32", endpoints.Select(p => state.Node(p.Node).Address.Split('/')[0]));
            foreach (var pod in endpoints)
            {
                NftApply(nft, state.Node(pod.Node).Namespace, $"chain prerouting {{ type nat hook prerouting priority dstnat; ip daddr {TrafficVip} udp dport 9 counter dnat to {pod.Ip}; }}");
                // In the pod: what arrived, from the router's own address (nothing rewrites the source).
                NftApply(nft, pod.Namespace, $"chain input {{ type filter hook input priority 0; ip saddr {LabGateway} udp dport 9 counter; }}");
            }
            NftApply(nft, idle.Namespace, $"chain prerouting {{ type filter hook prerouting priority -150; ip daddr {TrafficVip} counter; }}");
            // Linux hashes multipath on L3 only by default: with ports in the hash the flows spread.
            Proc.Check("ip", "netns", "exec", router.Namespace, "sysctl", "-qw", "net.ipv4.fib_multipath_hash_policy=1");

            // Each redirection is a new socket, so a new source port: one datagram per flow.
            Proc.Check("ip", "netns", "exec", router.Namespace, "bash", "-c", $"for i in $(seq {Flows}); do echo flow$i > /dev/udp/{TrafficVip}/9; done");

            var perNode = endpoints.Select(p => Counter(nft, state.Node(p.Node).Namespace)).ToList();
            var perPod = endpoints.Select(p => Counter(nft, p.Namespace)).ToList();
            output.WriteLine($"flows per endpoint node: {string.Join(", ", perNode)}; received in the pods from {LabGateway}: {string.Join(", ", perPod)}; node without endpoint: {Counter(nft, idle.Namespace)}");
            // The nat chain sees a connection's first packet only (two flows that drew the same
            // source port are one conntrack entry): what the pods received is the datagram count.
            Assert.Equal(Flows, perPod.Sum());
            Assert.All(perPod, n => Assert.True(n >= Flows / 5, $"an endpoint got {n} of {Flows} datagrams (each should get at least 20 %): {string.Join(", ", perPod)}"));
            Assert.All(perNode, n => Assert.True(n > 0, $"the stand-in DNAT of an endpoint node saw nothing: {string.Join(", ", perNode)}"));
            Assert.Equal(0, Counter(nft, idle.Namespace));
        }
        finally
        {
            Proc.Run("ip", "netns", "exec", router.Namespace, "sysctl", "-qw", $"net.ipv4.fib_multipath_hash_policy={hashPolicy}");
            foreach (var ns in endpoints.SelectMany(p => new[] { p.Namespace, state.Node(p.Node).Namespace }).Append(idle.Namespace))
            {
                Proc.Run("ip", "netns", "exec", ns, nft, "delete", "table", "ip", StandIn);
            }
            await lab.Cli.LabAsync("del-service", "traffic");
            await SetServiceRangesAsync(datastore, [], []);
        }
    }

    private const string LabGateway = "172.18.0.1";

    private static void NftApply(string nft, string ns, string chain) =>
        Proc.Check("bash", "-c", $"printf '%s\\n' 'table ip {StandIn} {{ {chain}; }}' | ip netns exec {ns} {nft} -f -");

    /// <summary>The packets of the stand-in table's one counter in <paramref name="ns"/>.</summary>
    private static int Counter(string nft, string ns)
    {
        var text = Proc.Check("ip", "netns", "exec", ns, nft, "list", "table", "ip", StandIn).Stdout;
        return int.Parse(Packets().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"counter packets (\d+)")]
    private static partial Regex Packets();
}
