using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>kill -9 and restart: the kernel keeps serving the pods; only what went stale meanwhile is swept.</summary>
public sealed class AgentRestartTests : IAsyncLifetime
{
    private NodeAgentScope _node = null!;

    public async Task InitializeAsync() => _node = await NodeAgentScope.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private bool HasRoute(string start) => _node.Routes().Any(r => r.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public async Task Agent_KilledAndRestarted_KeepsLiveRoutesSweepsStaleOnes()
    {
        _node.AddVeth("rnta");
        _node.AddVeth("rntb");
        await _node.AddEndpointAsync("pod-a", "rnta", "10.244.1.5/32");
        await _node.AddEndpointAsync("pod-b", "rntb", "10.244.1.6/32");
        await Eventually.Until(() => HasRoute("10.244.1.5 dev rnta proto 80") && HasRoute("10.244.1.6 dev rntb proto 80"), "both pod routes");

        await _node.KillAndRestartAsync(async () =>
        {
            // While the agent is down: its routes stay in the kernel, and pod-b goes away.
            Assert.True(HasRoute("10.244.1.5 dev rnta proto 80"));
            await _node.Store.DeleteAsync<WorkloadEndpoint>("pod-b");
        });

        Assert.True(HasRoute("10.244.1.5 dev rnta proto 80"));
        await Eventually.Until(() => !HasRoute("10.244.1.6 "), "the stale route of the pod deleted while the agent was down to be swept");
        Assert.True(HasRoute("10.244.1.5 dev rnta proto 80"));
    }
}
