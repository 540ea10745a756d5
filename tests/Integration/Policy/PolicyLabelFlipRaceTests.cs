using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// Issue 16's race checks for a label flip, under traffic with a loss count: pods wired by the
/// real plugin send numbered UDP datagrams (<see cref="SequencedFlow"/>, about a thousand a
/// second per flow) while the sender's WorkloadEndpoint is relabelled again and again; after every
/// flip the test waits until the agent reports the flip's revision enforced (GetPolicyStatus). Each
/// flip moves the sender's address from one selector set to another and refills its own chain, in
/// one nf_tables transaction: a datagram the policy allowed at every moment is never lost, one it
/// refused at every moment is never delivered, and a flow the new policy refuses (established
/// flows included: conntrack revoke is on by default) gets nothing through once the agent says the
/// revision is enforced. A namespace's label flip moves every pod of it between sets the same way.
/// </summary>
public sealed class PolicyLabelFlipRaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Flips = 20;
    private const int RoundsPerState = 40;
    private PolicyNode _node = null!;

    public async Task InitializeAsync() => _node = await PolicyNode.StartAsync(RaceChecks.AgentArgs, podPrefix: "rnrace");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static Dictionary<string, string> Labels(params string[] pairs) => RaceChecks.Labels(pairs);

    private static NetworkPolicy Policy(string name, string selector, IReadOnlyList<PolicyRule>? ingress = null, IReadOnlyList<PolicyRule>? egress = null, IReadOnlyList<string>? types = null) =>
        RaceChecks.Policy(name, selector, ingress, egress, types);

    private static PolicyRule AllowFrom(string selector) => RaceChecks.AllowFrom(selector);

    private static PolicyRule AllowAll() => RaceChecks.AllowAll();

    private static Task FlowingAsync(params SequencedFlow[] flows) => RaceChecks.FlowingAsync(flows);

    private Task AssertNoneLostAsync(SequencedTraffic traffic, SequencedFlow flow, long from, string what) =>
        RaceChecks.AssertNoneLostAsync(output, _node, traffic, flow, from, what);

    private void AssertNoneDelivered(SequencedFlow flow, long from, long to, string what) =>
        RaceChecks.AssertNoneDelivered(output, _node, flow, from, to, what);

    [Fact]
    public async Task LabelFlip_BetweenTwoAllowedLabels_UnderTraffic_NoDatagramLost()
    {
        var src = await _node.AddLabelledPodAsync("src", Labels("role=a", "side=client"));
        var other = await _node.AddLabelledPodAsync("other", Labels("role=c"));
        var dst = await _node.AddLabelledPodAsync("dst", Labels("role=dst"));
        // dst admits role a and role b (two policies, two selector sets); the client's egress is
        // closed but for role a and role b (its own chain jumps to one or the other).
        await _node.ApplyAsync(Policy("dst-from-a", "role == 'dst'", ingress: [AllowFrom("role == 'a'")]));
        await _node.ApplyAsync(Policy("dst-from-b", "role == 'dst'", ingress: [AllowFrom("role == 'b'")]));
        await _node.ApplyAsync(Policy("clients-closed", "side == 'client'", types: [PolicySpec.TypeEgress]));
        await _node.ApplyAsync(Policy("egress-a", "role == 'a'", egress: [AllowAll()]));
        await _node.ApplyAsync(Policy("egress-b", "role == 'b'", egress: [AllowAll()]));

        using var flipping = SequencedFlow.Open("src->dst", src.Pod, dst.Pod, dst.Address);
        using var refused = SequencedFlow.Open("other->dst", other.Pod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(refused, flipping);
        await FlowingAsync(flipping);
        var start = traffic.Next;

        var endpoint = src.Endpoint;
        for (var i = 0; i < Flips; i++)
        {
            endpoint = await _node.RelabelAsync(endpoint, Labels(i % 2 == 0 ? "role=b" : "role=a", "side=client"));
            await traffic.SendMoreAsync(RoundsPerState);
        }
        var end = traffic.Stop();

        await AssertNoneLostAsync(traffic, flipping, start, $"{Flips} flips role=a <-> role=b, both allowed");
        AssertNoneDelivered(refused, 0, end, "role=c, refused all along");
    }

    [Fact]
    public async Task LabelFlip_BetweenTwoDeniedLabels_UnderTraffic_NothingDelivered()
    {
        var src = await _node.AddLabelledPodAsync("src", Labels("role=x"));
        var ok = await _node.AddLabelledPodAsync("ok", Labels("role=ok"));
        var closed = await _node.AddLabelledPodAsync("closed", Labels("role=closed"));
        var open = await _node.AddLabelledPodAsync("open", Labels("role=open"));
        // "closed" admits role ok only; x and y are in its sets all the same (each allowed to
        // another port), so a flip moves src between them.
        await _node.ApplyAsync(Policy("closed-from-ok", "role == 'closed'", ingress: [AllowFrom("role == 'ok'")]));
        await _node.ApplyAsync(Policy("closed-decoys", "role == 'closed'", ingress:
        [
            new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = new IntOrString("UDP"), Source = new EntityRule { Selector = "role == 'x'" }, Destination = new EntityRule { Ports = [new IntOrString(81)] } },
            new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = new IntOrString("UDP"), Source = new EntityRule { Selector = "role == 'y'" }, Destination = new EntityRule { Ports = [new IntOrString(82)] } },
        ]));
        // "open" admits everyone in the default tier, under two Denies of the admin tier: there
        // only the deny sets keep src out, so an element removed before its replacement is added
        // would show as a delivered datagram.
        await _node.ApplyAsync(Policy("open-to-all", "role == 'open'", ingress: [AllowAll()]));
        await _node.ApplyAsync(new GlobalNetworkPolicy
        {
            Metadata = new ObjectMeta { Name = "open-deny-x-y" },
            Spec = new PolicySpec
            {
                Tier = PolicySpec.TierAdmin,
                Selector = "role == 'open'",
                Types = [PolicySpec.TypeIngress],
                Ingress =
                [
                    new PolicyRule { Action = PolicyRule.ActionDeny, Source = new EntityRule { Selector = "role == 'x'" } },
                    new PolicyRule { Action = PolicyRule.ActionDeny, Source = new EntityRule { Selector = "role == 'y'" } },
                    new PolicyRule { Action = PolicyRule.ActionPass },
                ],
            },
        });

        using var toClosed = SequencedFlow.Open("src->closed", src.Pod, closed.Pod, closed.Address);
        using var toOpen = SequencedFlow.Open("src->open", src.Pod, open.Pod, open.Address);
        using var okToClosed = SequencedFlow.Open("ok->closed", ok.Pod, closed.Pod, closed.Address);
        using var okToOpen = SequencedFlow.Open("ok->open", ok.Pod, open.Pod, open.Address);
        using var traffic = SequencedTraffic.Start(toClosed, toOpen, okToClosed, okToOpen);
        await FlowingAsync(okToClosed, okToOpen);
        var start = traffic.Next;

        var endpoint = src.Endpoint;
        for (var i = 0; i < Flips; i++)
        {
            endpoint = await _node.RelabelAsync(endpoint, Labels(i % 2 == 0 ? "role=y" : "role=x"));
            await traffic.SendMoreAsync(RoundsPerState);
        }
        var end = traffic.Stop();

        // The controls went through the same receivers after src's datagrams of every round.
        await AssertNoneLostAsync(traffic, okToClosed, start, "control, role=ok allowed all along");
        await AssertNoneLostAsync(traffic, okToOpen, start, "control, role=ok allowed all along");
        AssertNoneDelivered(toClosed, 0, end, $"{Flips} flips role=x <-> role=y, both refused by the default tier");
        AssertNoneDelivered(toOpen, 0, end, $"{Flips} flips role=x <-> role=y, both denied by the admin tier");
    }

    [Fact]
    public async Task LabelFlip_AllowedToDenied_NothingDeliveredOnceEnforced_EstablishedFlowIncluded_FlipBackDeliversAgain()
    {
        var src = await _node.AddLabelledPodAsync("src", Labels("role=a", "side=client"));
        var ok = await _node.AddLabelledPodAsync("ok", Labels("role=ok"));
        var dst = await _node.AddLabelledPodAsync("dst", Labels("role=dst"));
        await _node.ApplyAsync(Policy("dst-from-a-ok", "role == 'dst'", ingress: [AllowFrom("role == 'a'"), AllowFrom("role == 'ok'")]));

        using var established = SequencedFlow.Open("src->dst echoed", src.Pod, dst.Pod, dst.Address, echo: true);
        // dst answers 200 ms late: its answers to datagrams taken before the cut leave after it, and
        // (the client's ingress being open) must not open the cut flow again the other way round.
        using var slow = SequencedFlow.Open("src->dst echoed late", src.Pod, dst.Pod, dst.Address, echo: true, echoDelay: TimeSpan.FromMilliseconds(200));
        using var fresh = SequencedFlow.Open("src->dst", src.Pod, dst.Pod, dst.Address);
        using var control = SequencedFlow.Open("ok->dst", ok.Pod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(established, slow, fresh, control);
        await FlowingAsync(established, slow, fresh, control);
        await Eventually.Until(() => established.Echoes > 0 && slow.Echoes > 0, "the echoed flows to be established (replies seen)");
        var start = traffic.Next;
        await traffic.SendMoreAsync(RoundsPerState);

        var denied = await _node.RelabelAsync(src.Endpoint, Labels("role=c", "side=client"));
        var deniedFrom = traffic.Next;
        await traffic.SendMoreAsync(300);
        var deniedTo = traffic.Next;
        await _node.RelabelAsync(denied, Labels("role=a", "side=client"));
        var allowedFrom = traffic.Next;
        await traffic.SendMoreAsync(300);
        traffic.Stop();

        await AssertNoneLostAsync(traffic, control, start, "control, role=ok allowed all along");
        AssertNoneDelivered(established, deniedFrom, deniedTo, "role=a -> role=c (refused), established flow, after the revision was enforced");
        AssertNoneDelivered(slow, deniedFrom, deniedTo, "role=a -> role=c (refused), established flow answered late, after the revision was enforced");
        AssertNoneDelivered(fresh, deniedFrom, deniedTo, "role=a -> role=c (refused), after the revision was enforced");
        await AssertNoneLostAsync(traffic, established, allowedFrom, "role=c -> role=a (allowed again), echoed flow, after the revision was enforced");
        await AssertNoneLostAsync(traffic, slow, allowedFrom, "role=c -> role=a (allowed again), echoed flow answered late, after the revision was enforced");
        await AssertNoneLostAsync(traffic, fresh, allowedFrom, "role=c -> role=a (allowed again), after the revision was enforced");
        Assert.True(established.ReceivedIn(start, deniedFrom) > 0, "the established flow never delivered before the flip");
        // The cut flows' packets were dropped as revoked (both echoed flows kept sending into them).
        var status = await _node.Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest { Counters = true });
        var revoked = status.ImplicitDrops.Where(d => d.Reason == "revoked").Sum(d => (long)d.Packets);
        Assert.True(revoked > 0, $"no packet counted as dropped for a revoked flow: {status.ImplicitDrops}");
    }

    [Fact]
    public async Task NamespaceLabelFlip_BetweenTwoAllowedLabels_UnderTraffic_NoDatagramLost()
    {
        var ns = await _node.Node.Store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "x", Labels = Labels("team=a") } });
        await _node.Node.Store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "y", Labels = Labels("team=c") } });
        var src = await _node.AddLabelledPodAsync("src", Labels("role=src"));
        var dst = await _node.AddLabelledPodAsync("dst", Labels("role=dst"));
        var (otherPod, otherAddress, otherVeth) = await _node.AddPodAsync("other", "y");
        await _node.WaitEnforcedAsync(PolicyNode.Revision(await _node.RegisterAsync("other", "y", otherVeth, otherAddress, Labels("role=src"))));
        // dst admits the pods of namespaces labelled team=a and team=b (two policies, two sets of
        // namespace members): a flip of x's label moves every pod of x from one set to the other.
        foreach (var team in new[] { "a", "b" })
        {
            await _node.ApplyAsync(new GlobalNetworkPolicy
            {
                Metadata = new ObjectMeta { Name = $"dst-from-team-{team}" },
                Spec = new PolicySpec
                {
                    Selector = "role == 'dst'",
                    Types = [PolicySpec.TypeIngress],
                    Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Source = new EntityRule { NamespaceSelector = $"team == '{team}'" } }],
                },
            });
        }

        using var flipping = SequencedFlow.Open("x/src->x/dst", src.Pod, dst.Pod, dst.Address);
        using var refused = SequencedFlow.Open("y/other->x/dst", otherPod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(refused, flipping);
        await FlowingAsync(flipping);
        var start = traffic.Next;

        for (var i = 0; i < Flips; i++)
        {
            ns = await _node.Node.Store.UpdateAsync(ns with { Metadata = ns.Metadata with { Labels = Labels(i % 2 == 0 ? "team=b" : "team=a"), ResourceVersion = null } });
            await _node.WaitEnforcedAsync(PolicyNode.Revision(ns));
            await traffic.SendMoreAsync(RoundsPerState);
        }
        var end = traffic.Stop();

        await AssertNoneLostAsync(traffic, flipping, start, $"{Flips} flips of namespace x team=a <-> team=b, both allowed");
        AssertNoneDelivered(refused, 0, end, "namespace y team=c, refused all along");
    }
}
