using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>
/// Issue 13 item 2: the README's conflist (`routednet` + `host-local`, no datastore key, so no
/// WorkloadEndpoint is written) with `routednet-node` running on the node. The agent knows the
/// pod from the plugin's attachment records and keeps its route; the route goes only with DEL or
/// with the pod's veth.
/// </summary>
public sealed class AgentLocalPodTests : IAsyncLifetime
{
    private const string Subnet = "10.244.1.0/24";
    private NodeAgentScope _node = null!;

    public async Task InitializeAsync()
    {
        Tools.Require(Path.Combine("/usr/lib/cni", "host-local"), "containernetworking-plugins");
        _node = await NodeAgentScope.StartAsync();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>The README's plugin entry, with this test's directories for the records and host-local's state.</summary>
    private JsonObject ReadmeConfig() => new()
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = "routednet",
        ["type"] = "routednet",
        ["mtu"] = 1500,
        ["dataDir"] = _node.CniDataDir,
        ["ipam"] = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = Subnet })),
            ["dataDir"] = Path.Combine(_node.StateDir, "host-local"),
        },
    };

    private async Task<string> RunPluginAsync(string command, NetNs pod, string containerId)
    {
        var result = await Proc.RunAsync("ip", ["netns", "exec", _node.Ns.Name, RepoPaths.Binary("routednet")], ReadmeConfig().ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = $"{RepoPaths.OutBin}:/usr/lib/cni",
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={containerId}",
        });
        Assert.True(result.ExitCode == 0, $"{command}: {result.Stdout} {result.Stderr}");
        return result.Stdout;
    }

    private static string AddressOf(string addResult) =>
        JsonDocument.Parse(addResult).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];

    private bool HasRoute(string address) => _node.Routes().Any(r => r.StartsWith(address + " dev rn", StringComparison.Ordinal));

    /// <summary>
    /// Lets <paramref name="periods"/> resync periods of the agent pass, plus the grace period a new
    /// interface's routes get (1 s each in this scope) and a second more: a route the agent took for
    /// a stray one would be gone by then. (The API's last-resync time cannot count them: asking for
    /// the routes reads the kernel back itself.)
    /// </summary>
    private static Task WaitResyncsAsync(int periods) => Task.Delay(TimeSpan.FromSeconds(periods + 2));

    [Fact]
    public async Task ReadmeConflist_NoDatastore_PodRouteKeptOverThreeResyncsAndGoneAfterDel()
    {
        using var pod = NetNs.Create();
        var address = AddressOf(await RunPluginAsync("ADD", pod, "pod-a"));
        Assert.True(HasRoute(address), string.Join('\n', _node.Routes()));

        await WaitResyncsAsync(3);

        Assert.True(HasRoute(address), $"the agent deleted the live pod route to {address}: {string.Join(" | ", _node.Routes())}");
        Assert.Equal(RouteState.Ok, (await _node.RouteStatusAsync($"{address}/32"))?.State);

        await RunPluginAsync("DEL", pod, "pod-a");
        await WaitResyncsAsync(2);

        Assert.False(HasRoute(address), string.Join('\n', _node.Routes()));
        Assert.Null(await _node.RouteStatusAsync($"{address}/32"));
    }

    [Fact]
    public async Task ReadmeConflist_NoDatastore_PodRouteDeletedByHandRestored()
    {
        using var pod = NetNs.Create();
        var address = AddressOf(await RunPluginAsync("ADD", pod, "pod-b"));
        await WaitResyncsAsync(1);

        _node.Ns.Check("ip", "route", "del", $"{address}/32");

        await Eventually.Until(() => HasRoute(address), "the agent to restore the pod route it knows from the plugin's records");
        await RunPluginAsync("DEL", pod, "pod-b");
    }

    [Fact]
    public async Task ReadmeConflist_PodNamespaceGoneWithoutDel_RouteGoneAndNotWanted()
    {
        var pod = NetNs.Create();
        var address = AddressOf(await RunPluginAsync("ADD", pod, "pod-c"));
        await WaitResyncsAsync(1);

        pod.Dispose();

        await Eventually.Until(async () => !HasRoute(address) && await _node.RouteStatusAsync($"{address}/32") is null,
            "the route to go with the veth and the agent to stop wanting it");
    }
}
