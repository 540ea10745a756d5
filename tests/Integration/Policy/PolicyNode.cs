using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Integration.Felix;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// One `routednet-node` (sqlite, in its own namespace with an uplink and a default route, as on a
/// node: proxy ARP answers the pods' ARP for 169.254.1.1 only when the node has a route to it) and
/// pods wired by the real plugin (host-local, the agent's API socket as "agentSocket", so ADD
/// waits for the agent's ack). Dispose removes the pods, the agent and its namespace.
/// </summary>
internal sealed class PolicyNode : IAsyncDisposable
{
    private const string Subnet = "10.244.7.0/24";
    private readonly List<NetNs> _pods = [];

    private PolicyNode(NodeAgentScope node) => Node = node;

    public NodeAgentScope Node { get; }

    public static async Task<PolicyNode> StartAsync(IReadOnlyList<string>? extraArgs = null)
    {
        Tools.Require("/usr/sbin/nft", "nftables");
        Tools.Require(Path.Combine("/usr/lib/cni", "host-local"), "containernetworking-plugins");
        var node = await NodeAgentScope.StartAsync(
            prepare: ns =>
            {
                ns.Check("ip", "link", "add", "uplink0", "type", "veth", "peer", "name", "uplink0p");
                ns.Check("ip", "link", "set", "uplink0p", "up");
                ns.Check("ip", "addr", "add", NodeAgentScope.DefaultNodeIp + "/24", "dev", "uplink0");
                ns.Check("ip", "link", "set", "uplink0", "up");
                ns.Check("ip", "route", "add", "default", "dev", "uplink0");
            },
            extraArgs: extraArgs);
        return new PolicyNode(node);
    }

    /// <summary>A new namespace for a pod (removed with the node).</summary>
    public NetNs NewNamespace()
    {
        var ns = NetNs.Create("rnenf");
        _pods.Add(ns);
        return ns;
    }

    /// <summary>ADD of a new pod; its namespace, address and host veth. Fails on a policy wait that timed out.</summary>
    public async Task<(NetNs Pod, string Address, string Veth)> AddPodAsync(string name, string @namespace = "enforce")
    {
        var pod = NewNamespace();
        var config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "routednet",
            ["type"] = "routednet",
            ["dataDir"] = Node.CniDataDir,
            ["agentSocket"] = Node.ApiSocket,
            ["ipam"] = new JsonObject
            {
                ["type"] = "host-local",
                ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = Subnet })),
                ["dataDir"] = Path.Combine(Node.StateDir, "host-local"),
            },
        };
        var result = await Proc.RunAsync("ip", ["netns", "exec", Node.Ns.Name, RepoPaths.Binary("routednet")], config.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = name,
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = $"{RepoPaths.OutBin}:/usr/lib/cni",
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={@namespace};K8S_POD_NAME={name}",
        });
        Assert.True(result.ExitCode == 0, $"ADD: {result.Stdout} {result.Stderr}");
        Assert.DoesNotContain("was not in force", result.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Stdout);
        var address = json.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
        var veth = json.RootElement.GetProperty("interfaces").EnumerateArray().First(i => !i.TryGetProperty("sandbox", out _)).GetProperty("name").GetString()!;
        return (pod, address, veth);
    }

    public static bool Pings(NetNs from, string to) => from.Exec("ping", "-c", "1", "-W", "1", to).Succeeded;

    /// <summary>Waits until the agent reports it enforces <paramref name="revision"/> (what the lab's policy suite does after every change).</summary>
    public Task WaitEnforcedAsync(long revision) =>
        Eventually.Until(
            async () => (await Node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).EnforcedRevision >= revision,
            $"the agent to enforce revision {revision}");

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }
        await Node.DisposeAsync();
    }
}
