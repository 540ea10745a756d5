using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>The node agent keeps the kernel's routes right while others change things behind its back.</summary>
public sealed class AgentRouteTests : IAsyncLifetime
{
    private NodeAgentScope _node = null!;

    public async Task InitializeAsync() => _node = await NodeAgentScope.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private bool HasRoute(string start) => _node.Routes().Any(r => r.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public async Task Agent_EndpointAddedThenRemoved_RouteFollows()
    {
        _node.AddVeth("rnta");

        await _node.AddEndpointAsync("pod-a", "rnta", "10.244.1.5/32");
        await Eventually.Until(() => HasRoute("10.244.1.5 dev rnta proto 80 scope link"), "the pod route to appear");

        await _node.Store.DeleteAsync<WorkloadEndpoint>("pod-a");
        await Eventually.Until(() => !HasRoute("10.244.1.5 "), "the pod route to go");
    }

    [Fact]
    public async Task Agent_Endpoint_HostVethAndForwardingSysctlsSet()
    {
        _node.AddVeth("rntf");
        _node.Ns.Check("sh", "-c", "echo 0 > /proc/sys/net/ipv4/conf/rntf/proxy_arp");

        await _node.AddEndpointAsync("pod-f", "rntf", "10.244.1.9/32");

        await Eventually.Until(() => Sysctl("net/ipv4/conf/rntf/proxy_arp") == "1", "proxy ARP on the pod's host veth");
        Assert.Equal("0", Sysctl("net/ipv4/neigh/rntf/proxy_delay"));
        Assert.Equal("1", Sysctl("net/ipv4/ip_forward"));
    }

    private string Sysctl(string path) => _node.Ns.Check("cat", $"/proc/sys/{path}").Stdout.Trim();

    [Fact]
    public async Task Agent_RouteDeletedByHand_ReportedThenRestored()
    {
        _node.AddVeth("rnta");
        await _node.AddEndpointAsync("pod-a", "rnta", "10.244.1.5/32");
        await Eventually.Until(() => HasRoute("10.244.1.5 dev rnta proto 80"), "the pod route to appear");

        _node.Ns.Check("ip", "route", "del", "10.244.1.5/32", "dev", "rnta");

        await Eventually.Until(() => HasRoute("10.244.1.5 dev rnta proto 80"), "the agent to restore the route");
    }

    [Fact]
    public async Task Agent_StrayRouteOfOurs_Deleted()
    {
        _node.AddVeth("rntb");
        _node.Ns.Check("ip", "route", "add", "10.244.1.99/32", "dev", "rntb", "proto", "80");
        _node.Ns.Check("ip", "route", "add", "blackhole", "10.244.77.0/24", "proto", "80");

        await Eventually.Until(() => !HasRoute("10.244.1.99 ") && !HasRoute("blackhole 10.244.77.0/24"), "the stray routes of ours to be removed");
    }

    [Fact]
    public async Task Agent_ForeignRouteAtPodPrefix_LeftAloneAndReportedAsConflict()
    {
        _node.AddVeth("rntc");
        _node.Ns.Check("ip", "route", "add", "10.244.1.6/32", "dev", "rntc", "proto", "static");

        await _node.AddEndpointAsync("pod-c", "rntc", "10.244.1.6/32");

        await Eventually.Until(
            async () => (await _node.RouteStatusAsync("10.244.1.6/32"))?.State == RouteState.Conflict,
            "the agent to report the conflict");
        var status = await _node.RouteStatusAsync("10.244.1.6/32");
        Assert.Equal(4u, status!.Programmed.Protocol);
        Assert.Contains(_node.Routes(), r => r.StartsWith("10.244.1.6 dev rntc proto static", StringComparison.Ordinal));
        Assert.DoesNotContain(_node.Routes(), r => r.StartsWith("10.244.1.6 dev rntc proto 80", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agent_ForeignRouteElsewhere_NeverTouched()
    {
        _node.AddVeth("rntd");
        _node.Ns.Check("ip", "route", "add", "192.168.77.0/24", "dev", "rntd", "proto", "static");
        _node.AddVeth("rnte");
        await _node.AddEndpointAsync("pod-e", "rnte", "10.244.1.8/32");

        await Eventually.Until(() => HasRoute("10.244.1.8 dev rnte proto 80"), "the pod route to appear");
        // Several resyncs (1 s each) later, the other owner's route is still there.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(HasRoute("192.168.77.0/24 dev rntd proto static"));
    }

    [Fact]
    public async Task Agent_BlockAffineToNode_BlackholedAndShownInStatus()
    {
        await _node.Store.CreateAffineBlockAsync("10.244.1.0/24", _node.NodeName);

        await Eventually.Until(() => HasRoute("blackhole 10.244.1.0/24 proto 80"), "the block's blackhole route");
        var status = await _node.Api.GetNodeStatusAsync(new GetNodeStatusRequest());
        Assert.Equal(_node.NodeName, status.Name);
        Assert.Equal(["10.244.1.0/24"], status.Blocks);
        Assert.Equal(64512u, status.AsNumber);
        Assert.Equal(NodeAgentScope.DefaultNodeIp, status.RouterId);
    }
}
