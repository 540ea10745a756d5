using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
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
}
