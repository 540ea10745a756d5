using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// Wires pods the way a container runtime does: exec the real `routednet` binary inside the node's
/// namespace with the CNI_* environment and the network config on stdin. The config names the
/// datastore and the node's agent (whose node name the plugin uses), so the plugin records WorkloadEndpoints (which the agent routes) and
/// `routednet-ipam` takes addresses from the node's blocks.
/// </summary>
internal static class CniRuntime
{
    public const string Binary = "routednet";
    public const string NetworkName = "rnlab";

    public static string Config(LabDirectory directory, LabState state, string node, string apiSocket, LabPod? pod = null) => new JsonObject
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = NetworkName,
        ["type"] = "routednet",
        ["mtu"] = 1500,
        ["datastore"] = state.Datastore,
        // The node name comes from the node's agent (the nodename file next to its socket).
        ["agentSocket"] = apiSocket,
        // Attachment records per node: the nodes share this machine's filesystem.
        ["dataDir"] = DataDir(directory, node),
        ["ipam"] = new JsonObject { ["type"] = "routednet-ipam" },
        // Who the pod is, as a runtime passes it (CNI CONVENTIONS.md "args"): the plugin writes the
        // WorkloadEndpoint with them in its one create, so the endpoint never exists unlabelled.
        ["args"] = pod is null ? null : Args(pod),
    }.ToJsonString();

    private static JsonObject Args(LabPod pod)
    {
        var labels = new JsonArray();
        foreach (var (key, value) in pod.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            labels.Add((JsonNode)new JsonObject { ["key"] = key, ["value"] = value });
        }
        var ports = new JsonArray();
        foreach (var port in pod.Ports)
        {
            ports.Add((JsonNode)new JsonObject { ["name"] = port.Name, ["protocol"] = port.Protocol, ["port"] = port.Port });
        }
        return new JsonObject
        {
            ["cni"] = new JsonObject { ["labels"] = labels },
            ["routednet"] = new JsonObject { ["ports"] = ports },
        };
    }

    /// <summary>Where the plugin keeps a node's attachment records, and its agent reads them.</summary>
    public static string DataDir(LabDirectory directory, string node) => directory.Combine("cni", node);

    /// <summary>ADD: the pod's addresses from the result (bare IPs).</summary>
    public static List<string> Add(LabDirectory directory, LabState state, LabNode node, LabPod pod, string binDirectory)
    {
        var result = Run("ADD", directory, state, node, pod, binDirectory);
        try
        {
            using var document = JsonDocument.Parse(result);
            return [.. document.RootElement.GetProperty("ips").EnumerateArray()
                .Select(ip => IPNetwork.Parse(ip.GetProperty("address").GetString()!).BaseAddress.ToString())];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new CtlException(CtlExitCode.Problem, $"CNI ADD of {pod.Name} returned a result without ips: {result}", e);
        }
    }

    public static void Del(LabDirectory directory, LabState state, LabNode node, LabPod pod, string binDirectory) =>
        Run("DEL", directory, state, node, pod, binDirectory);

    private static string Run(string command, LabDirectory directory, LabState state, LabNode node, LabPod pod, string binDirectory)
    {
        try
        {
            return LabCommandLine.Run("ip", ["netns", "exec", node.Namespace, Path.Combine(binDirectory, Binary)], Config(directory, state, node.Name, node.ApiSocket, pod), new Dictionary<string, string>
            {
                ["CNI_COMMAND"] = command,
                ["CNI_CONTAINERID"] = pod.ContainerId,
                ["CNI_NETNS"] = LabTopology.NamespacePath(pod.Namespace),
                ["CNI_IFNAME"] = "eth0",
                ["CNI_PATH"] = binDirectory,
                ["CNI_ARGS"] = string.Create(CultureInfo.InvariantCulture, $"IgnoreUnknown=1;K8S_POD_NAMESPACE={pod.PodNamespace};K8S_POD_NAME={pod.PodName}"),
            });
        }
        catch (CtlException e)
        {
            throw new CtlException(CtlExitCode.Problem, $"CNI {command} of {pod.Name} on {node.Name} failed: {e.Message}", e);
        }
    }
}
