using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// The race check of pod churn, under traffic with a loss count: pods come (CNI ADD, their
/// WorkloadEndpoint, their address joining the selector set of a policy that admits them) and go
/// (DEL, the endpoint deleted: chains, map entries and set elements removed, conntrack of the
/// address deleted) beside two steady flows. Each is a small commit of its own next to the
/// flows' chains and sets: the allowed flow loses nothing, the refused one gets nothing through.
/// </summary>
public sealed class PodChurnRaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Pods = 8;
    private PolicyNode _node = null!;

    public async Task InitializeAsync() => _node = await PolicyNode.StartAsync(RaceChecks.AgentArgs, podPrefix: "rnrace");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task PodsAddedAndDeleted_BesideSteadyFlows_AllowedLoseNothing_RefusedGetNothing()
    {
        var a = await _node.AddLabelledPodAsync("a", RaceChecks.Labels("role=a"));
        var c = await _node.AddLabelledPodAsync("c", RaceChecks.Labels("role=c"));
        var dst = await _node.AddLabelledPodAsync("dst", RaceChecks.Labels("role=dst"));
        await _node.ApplyAsync(RaceChecks.Policy("dst-from-a", "role == 'dst'", ingress: [RaceChecks.AllowFrom("role == 'a'")]));

        using var refused = SequencedFlow.Open("c->dst", c.Pod, dst.Pod, dst.Address);
        using var allowed = SequencedFlow.Open("a->dst", a.Pod, dst.Pod, dst.Address);
        using var traffic = SequencedTraffic.Start(refused, allowed);
        await RaceChecks.FlowingAsync(allowed);
        var start = traffic.Next;

        (string Name, NetNs Pod, WorkloadEndpoint Endpoint)? previous = null;
        for (var i = 0; i < Pods; i++)
        {
            // A new pod admitted by the same policy (its address joins dst's set), the previous one gone.
            var name = $"churn-{i}";
            var pod = await _node.AddLabelledPodAsync(name, RaceChecks.Labels("role=a"));
            if (previous is { } gone)
            {
                await _node.DeletePodAsync(gone.Name, gone.Pod, "x");
                await _node.Node.Store.DeleteAsync<WorkloadEndpoint>(gone.Endpoint.Metadata.Name);
            }
            previous = (name, pod.Pod, pod.Endpoint);
        }
        await Eventually.Until(
            async () => (await _node.Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).ProgrammedEndpoints.Count == 4,
            "the agent to have removed every deleted pod's chains");
        await traffic.SendMoreAsync(100);
        var end = traffic.Stop();

        await RaceChecks.AssertNoneLostAsync(output, _node, traffic, allowed, start, $"{Pods} pods added and {Pods - 1} deleted beside it: allowed");
        RaceChecks.AssertNoneDelivered(output, _node, refused, 0, end, $"{Pods} pods added and {Pods - 1} deleted beside it: refused");
    }

    /// <summary>
    /// A flow to a pod that went away must not reach the next pod given its address: the agent
    /// deletes the gone address's conntrack entries before the new pod's endpoint is in force (not
    /// at every DEL: that sweep walks the kernel's whole conntrack hash, and is put off until an
    /// address comes back or a few seconds pass). The new pod admits nobody, yet listens on the
    /// flow's port: an established entry left behind would let the old flow in past its policy.
    /// </summary>
    [Fact]
    public async Task AddressReused_AfterItsPodWentAway_TheNewPodInheritsNoFlow()
    {
        var src = await _node.AddLabelledPodAsync("src", RaceChecks.Labels("role=src"));
        var old = await _node.AddLabelledPodAsync("old", RaceChecks.Labels("role=old"));
        await _node.ApplyAsync(RaceChecks.Policy("new-closed", "role == 'new'", types: [PolicySpec.TypeIngress]));
        using var flow = SequencedFlow.Open("src->old echoed", src.Pod, old.Pod, old.Address, echo: true);
        using var traffic = SequencedTraffic.Start(flow);
        await RaceChecks.FlowingAsync(flow);
        await Eventually.Until(() => flow.Echoes > 0, "the flow to be established (replies seen)");

        await _node.DeletePodAsync("old", old.Pod, "x");
        await _node.Node.Store.DeleteAsync<WorkloadEndpoint>(old.Endpoint.Metadata.Name);
        await traffic.SendMoreAsync(50);
        // The new pod's endpoint is known (labels and all) before its ADD, as a Pod is before its
        // sandbox: no later change narrows anything, only the address coming back sweeps.
        var veth = HostVethName.For("x", "new", "", "eth0");
        var endpoint = await _node.RegisterAsync("new", "x", veth, old.Address, RaceChecks.Labels("role=new"));
        await _node.WaitEnforcedAsync(PolicyNode.Revision(endpoint));
        var reused = await _node.AddPodAsync("new", "x", withAddress: old.Address);
        Assert.Equal((old.Address, veth), (reused.Address, reused.Veth));
        using var listener = NetworkNamespace.Run(reused.Pod.Path, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        listener.Bind(new IPEndPoint(IPAddress.Any, flow.Port));
        listener.ReceiveTimeout = 100;
        await traffic.SendMoreAsync(300);
        traffic.Stop();

        var received = 0;
        var buffer = new byte[64];
        try
        {
            while (listener.Receive(buffer) > 0)
            {
                received++;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            // Nothing more queued.
        }
        Assert.True(received == 0, $"the pod given {old.Address} after its last holder went got {received} datagrams of that holder's flow, which its policy refuses");
    }
}
