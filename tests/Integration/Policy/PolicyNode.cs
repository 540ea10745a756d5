using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore.Resources;
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
    private readonly string _podPrefix;

    private PolicyNode(NodeAgentScope node, string podPrefix)
    {
        Node = node;
        _podPrefix = podPrefix;
    }

    public NodeAgentScope Node { get; }

    /// <param name="podPrefix">The prefix of the pods' namespace names (one per test class family, so parallel runs never meet).</param>
    /// <param name="metricsPort">Serve /metrics on this port inside the node's namespace (0: off).</param>
    public static async Task<PolicyNode> StartAsync(IReadOnlyList<string>? extraArgs = null, string podPrefix = "rnenf", int metricsPort = 0)
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
            extraArgs: extraArgs,
            metricsPort: metricsPort);
        return new PolicyNode(node, podPrefix);
    }

    /// <summary>A new namespace for a pod (removed with the node).</summary>
    public NetNs NewNamespace()
    {
        var ns = NetNs.Create(_podPrefix);
        _pods.Add(ns);
        return ns;
    }

    /// <summary>
    /// ADD of a new pod; its namespace, address and host veth. Fails on a policy wait that timed
    /// out. <paramref name="withAddress"/>: host-local's range narrowed to that one free address.
    /// </summary>
    public async Task<(NetNs Pod, string Address, string Veth)> AddPodAsync(string name, string @namespace = "enforce", string? withAddress = null)
    {
        var pod = NewNamespace();
        var result = await RunPluginAsync("ADD", name, @namespace, pod, withAddress);
        Assert.DoesNotContain("was not in force", result.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Stdout);
        var address = json.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
        var veth = json.RootElement.GetProperty("interfaces").EnumerateArray().First(i => !i.TryGetProperty("sandbox", out _)).GetProperty("name").GetString()!;
        return (pod, address, veth);
    }

    /// <summary>DEL of a pod ADDed by <see cref="AddPodAsync"/> (its namespace stays until the node is disposed).</summary>
    public async Task DeletePodAsync(string name, NetNs pod, string @namespace = "enforce") =>
        await RunPluginAsync("DEL", name, @namespace, pod);

    private async Task<ProcessResult> RunPluginAsync(string command, string name, string @namespace, NetNs pod, string? address = null)
    {
        var range = new JsonObject { ["subnet"] = Subnet };
        if (address is not null)
        {
            range["rangeStart"] = address;
            range["rangeEnd"] = address;
        }
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
                ["ranges"] = new JsonArray(new JsonArray(range)),
                ["dataDir"] = Path.Combine(Node.StateDir, "host-local"),
            },
        };
        var result = await Proc.RunAsync("ip", ["netns", "exec", Node.Ns.Name, RepoPaths.Binary("routednet")], config.ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = name,
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = $"{RepoPaths.OutBin}:/usr/lib/cni",
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={@namespace};K8S_POD_NAME={name}",
        });
        Assert.True(result.ExitCode == 0, $"{command}: {result.Stdout} {result.Stderr}");
        return result;
    }

    /// <summary>Writes the pod's WorkloadEndpoint (namespace, labels) as the plugin would with a datastore; its revision.</summary>
    public async Task<WorkloadEndpoint> RegisterAsync(string name, string @namespace, string veth, string address, IReadOnlyDictionary<string, string> labels) =>
        await Node.Store.CreateAsync(new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = $"routednet.{name}.eth0", Labels = labels },
            Spec = new WorkloadEndpointSpec
            {
                Pod = name,
                Namespace = @namespace,
                ContainerID = name,
                Interface = "eth0",
                HostInterface = veth,
                IPNetworks = [address + "/32"],
                Node = Node.NodeName,
            },
        });

    /// <summary>A pod with its WorkloadEndpoint (labels app=<paramref name="app"/>, namespace x) in the store, enforced and up.</summary>
    public Task<(NetNs Pod, string Address, WorkloadEndpoint Endpoint)> AddLabelledPodAsync(string name, string app) =>
        AddLabelledPodAsync(name, new Dictionary<string, string> { ["app"] = app });

    /// <summary>A pod with its WorkloadEndpoint (<paramref name="labels"/>, namespace x) in the store, enforced and up.</summary>
    public async Task<(NetNs Pod, string Address, WorkloadEndpoint Endpoint)> AddLabelledPodAsync(string name, IReadOnlyDictionary<string, string> labels, string? withAddress = null)
    {
        var (pod, address, veth) = await AddPodAsync(name, "x", withAddress);
        var endpoint = await RegisterAsync(name, "x", veth, address, labels);
        await WaitEnforcedAsync(Revision(endpoint));
        await Eventually.Until(() => Pings(pod, address), $"{name} to be up");
        return (pod, address, endpoint);
    }

    /// <summary>Gives <paramref name="endpoint"/> new labels (a pod relabelled) and waits until the agent enforces that; the updated endpoint.</summary>
    public async Task<WorkloadEndpoint> RelabelAsync(WorkloadEndpoint endpoint, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var updated = await Node.Store.UpdateAsync(endpoint with { Metadata = endpoint.Metadata with { Labels = labels, ResourceVersion = null } });
        await WaitEnforcedAsync(Revision(updated));
        return updated;
    }

    /// <summary>Creates <paramref name="resource"/> and waits until the agent enforces it; its revision.</summary>
    public async Task<long> ApplyAsync<T>(T resource)
        where T : Resource, IResourceKind<T>
    {
        var revision = Revision(await Node.Store.CreateAsync(resource));
        await WaitEnforcedAsync(revision);
        return revision;
    }

    public static long Revision(Resource resource) => long.Parse(resource.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);

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
