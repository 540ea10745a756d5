using System.Globalization;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Integration.Policy;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// Issue 16's label-flip race check on the kubernetes datastore, across nodes: a client Pod on n2
/// sends numbered UDP datagrams (<see cref="SequencedFlow"/>) to web-0 on n1 while its labels are
/// patched again and again; n1 follows the remote Pod's labels and moves its address from one
/// selector set to the other in one transaction. Between two allowed labels nothing is lost; to a
/// refused label nothing is delivered once n1 reports the patch's revision enforced (an
/// established flow included), and back again nothing is lost.
/// </summary>
public sealed partial class AgentOnKubernetesTests
{
    private async Task RelabelEnforcedAsync(string pod, string app) =>
        await SendEnforcedAsync(_n1, HttpMethod.Patch, $"/api/v1/namespaces/{PodNamespace}/pods/{pod}", "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}}}");

    private static void AssertNoneDelivered(SequencedFlow flow, long from, long to, string what)
    {
        var delivered = flow.ReceivedIn(from, to);
        Assert.True(delivered == 0, $"{what}: {delivered} of {to - from} refused datagrams delivered: {flow.DescribeReceivedIn(from, to)}; {flow.Diagnostics()}");
    }

    private static async Task AssertNoneLostAsync(SequencedTraffic traffic, SequencedFlow flow, long from, string what)
    {
        var missing = await traffic.DrainAsync(flow, from);
        Assert.True(missing.Count == 0, string.Create(CultureInfo.InvariantCulture, $"{what}: {missing.Count} of {traffic.Next - from} allowed datagrams lost: {SequencedFlow.Ranges(missing)}; {flow.Diagnostics()}"));
    }

    [Fact]
    public async Task RemotePodLabelFlips_UnderTraffic_AllowedLoseNothing_RefusedDeliverNothingOnceEnforced()
    {
        var web = await StartPodAsync(_n1, "web-0", new() { ["app"] = "web" });
        var webNs = _pods[^1];
        await StartPodAsync(_n2, "client-1", new() { ["app"] = "a", ["side"] = "client" });
        var client = _pods[^1];
        _n1.Ns.Check("ip", "route", "add", "default", "dev", "eth0");
        _n2.Ns.Check("ip", "route", "add", "default", "dev", "eth0");
        await Eventually.Until(() => Pings(client, web), $"client-1 to reach web-0 ({web}) before any policy");

        // web-0 admits app=a and app=b.
        await SendEnforcedAsync(_n1, HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{PodNamespace}/networkpolicies", """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web-from-a-b"},
             "spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"a"}}},{"podSelector":{"matchLabels":{"app":"b"}}}]}]}}
            """);

        using var established = SequencedFlow.Open("client-1->web-0 echoed", client, webNs, web, echo: true);
        // web-0 answers 200 ms late: its answers to datagrams taken before n1 cut the flow leave
        // after the cut and must not open the flow again the other way round (n1 allows web-0's
        // egress; client-1's ingress is on n2, which sees only the established flow).
        using var slow = SequencedFlow.Open("client-1->web-0 echoed late", client, webNs, web, echo: true, echoDelay: TimeSpan.FromMilliseconds(200));
        using var fresh = SequencedFlow.Open("client-1->web-0", client, webNs, web);
        using var traffic = SequencedTraffic.Start(established, slow, fresh);
        await Eventually.Until(() => fresh.ReceivedIn(0, long.MaxValue) > 0 && established.Echoes > 0 && slow.Echoes > 0, "client-1's flows to deliver and the echoed ones to be established");
        var start = traffic.Next;
        for (var i = 0; i < 10; i++)
        {
            await RelabelEnforcedAsync("client-1", i % 2 == 0 ? "b" : "a");
            await traffic.SendMoreAsync(40);
        }
        var flipped = traffic.Next;

        await RelabelEnforcedAsync("client-1", "c");
        var deniedFrom = traffic.Next;
        await traffic.SendMoreAsync(300);
        var deniedTo = traffic.Next;
        await RelabelEnforcedAsync("client-1", "a");
        var allowedFrom = traffic.Next;
        await traffic.SendMoreAsync(300);
        traffic.Stop();

        await AssertNoneLostAsync(traffic, fresh, allowedFrom, "app=c -> app=a (allowed again), once enforced");
        await AssertNoneLostAsync(traffic, established, allowedFrom, "app=c -> app=a (allowed again), echoed flow, once enforced");
        await AssertNoneLostAsync(traffic, slow, allowedFrom, "app=c -> app=a (allowed again), echoed flow answered late, once enforced");
        Assert.True(fresh.MissingIn(start, flipped).Count == 0, $"10 flips app=a <-> app=b, both allowed: lost {SequencedFlow.Ranges(fresh.MissingIn(start, flipped))}; {fresh.Diagnostics()}");
        Assert.True(established.MissingIn(start, flipped).Count == 0, $"10 flips app=a <-> app=b, both allowed, echoed flow: lost {SequencedFlow.Ranges(established.MissingIn(start, flipped))}");
        AssertNoneDelivered(fresh, deniedFrom, deniedTo, "app=a -> app=c (refused), once n1 enforced it");
        AssertNoneDelivered(established, deniedFrom, deniedTo, "app=a -> app=c (refused), established flow, once n1 enforced it");
        AssertNoneDelivered(slow, deniedFrom, deniedTo, "app=a -> app=c (refused), established flow answered late, once n1 enforced it");
    }

    /// <summary>
    /// The enforcing node's agent restarted under traffic on the kubernetes datastore: the new agent
    /// lists every Pod of the cluster before its first commit, so the selector set holding the
    /// remote client's address is never empty, not even for a moment: the allowed flows lose
    /// nothing and the refused one gets nothing through.
    /// </summary>
    [Theory]
    [InlineData(15)]
    [InlineData(9)]
    public async Task EnforcingAgentRestarted_UnderTrafficFromTheOtherNode_AllowedLoseNothing_RefusedDeliverNothing(int signal)
    {
        var web = await StartPodAsync(_n1, "web-0", new() { ["app"] = "web" });
        var webNs = _pods[^1];
        await StartPodAsync(_n2, "client-1", new() { ["app"] = "a", ["side"] = "client" });
        var client = _pods[^1];
        await StartPodAsync(_n2, "other-1", new() { ["app"] = "d", ["side"] = "client" });
        var other = _pods[^1];
        _n1.Ns.Check("ip", "route", "add", "default", "dev", "eth0");
        _n2.Ns.Check("ip", "route", "add", "default", "dev", "eth0");
        await Eventually.Until(() => Pings(client, web) && Pings(other, web), $"client-1 and other-1 to reach web-0 ({web}) before any policy");
        await SendEnforcedAsync(_n1, HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{PodNamespace}/networkpolicies", """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web-from-a"},
             "spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"a"}}}]}]}}
            """);

        using var refused = SequencedFlow.Open("other-1->web-0", other, webNs, web);
        using var established = SequencedFlow.Open("client-1->web-0 echoed", client, webNs, web, echo: true);
        using var fresh = SequencedFlow.Open("client-1->web-0", client, webNs, web);
        using var traffic = SequencedTraffic.Start(refused, established, fresh);
        await Eventually.Until(() => fresh.ReceivedIn(0, long.MaxValue) > 0 && established.Echoes > 0, "client-1's flows to deliver and the echoed one to be established");
        var start = traffic.Next;

        await _n1.KillAndRestartAsync(() => traffic.SendMoreAsync(300), signal: signal);
        // The new agent's first commit: enforced at least what the old one did.
        await Eventually.Until(async () => (await _n1.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).EnforcedRevision > 0, "the restarted agent's first commit");
        await traffic.SendMoreAsync(300);
        var end = traffic.Stop();

        await AssertNoneLostAsync(traffic, fresh, start, $"signal {signal} to n1's agent and a new one started");
        await AssertNoneLostAsync(traffic, established, start, $"signal {signal} to n1's agent and a new one started, echoed flow");
        AssertNoneDelivered(refused, 0, end, $"signal {signal} to n1's agent and a new one started, refused all along");
        Assert.DoesNotContain("forbidden", _n1.Agent.Log(), StringComparison.OrdinalIgnoreCase);
    }
}
