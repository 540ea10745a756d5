using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
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

    /// <summary>
    /// A restarted agent whose kernel kept BGP routes is not ready until it has re-learned them
    /// (every peer back, or the restart deferral, 2 s here, passed): a rolling update that waits for
    /// readiness then never restarts the next node while this one is still catching up.
    /// </summary>
    [Fact]
    public async Task Agent_RestartedWithBgpRoutesKept_NotReadyWhileRelearningThenReady()
    {
        _node.AddVeth("rntc");
        _node.Ns.Check("ip", "addr", "add", "172.30.0.1/24", "dev", "rntc");
        await _node.Store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "silent" }, Spec = new BGPPeerSpec { PeerIP = "172.30.0.2", AsNumber = 65001 } });

        await _node.KillAndRestartAsync(
            () =>
            {
                // What a BGP route of the previous run looks like: ours (proto 80), via a gateway.
                _node.Ns.Check("ip", "route", "add", "10.244.9.0/24", "via", "172.30.0.2", "proto", "80");
                return Task.CompletedTask;
            },
            waitReady: false);

        var bgpDetails = new List<string>();
        await Eventually.Until(
            async () =>
            {
                var status = await _node.Api.GetNodeStatusAsync(new GetNodeStatusRequest());
                bgpDetails.AddRange(status.Components.Where(c => c.Name == "bgp" && !c.Ready).Select(c => c.Detail));
                return status.Ready;
            },
            "the restarted agent to be ready once the restart deferral has passed");
        Assert.Contains(bgpDetails, d => d.StartsWith("re-learning routes after a restart", StringComparison.Ordinal));
    }
}
