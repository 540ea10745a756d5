using System.Net;
using System.Text.Json;

namespace RoutedNet.Interop.Lab;

/// <summary>One node of `routednetctl lab status -o json` (the contract shape).</summary>
public sealed record LabNode(string Name, string Namespace, string Address, int AgentPid, string ApiSocket);

/// <summary>One pod: its network namespace and its addresses.</summary>
public sealed record LabPod(string Name, string Node, string Namespace, IReadOnlyList<IPAddress> Addresses)
{
    public IPAddress Ip => Addresses.First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

    /// <summary>The namespace file to setns() into (the contract gives a name under /run/netns or a path).</summary>
    public string NamespacePath => Namespace.StartsWith('/') ? Namespace : $"/run/netns/{Namespace}";

    public static LabPod Parse(JsonElement pod) => new(
        pod.GetProperty("name").GetString()!,
        pod.GetProperty("node").GetString()!,
        pod.GetProperty("namespace").GetString()!,
        [.. pod.GetProperty("addresses").EnumerateArray().Select(a => IPAddress.Parse(a.GetString()!.Split('/')[0]))]);
}

/// <summary>The whole lab as `lab status -o json` reports it.</summary>
public sealed record LabState(IReadOnlyList<LabNode> Nodes, IReadOnlyList<LabPod> Pods)
{
    public LabNode Node(string name) => Nodes.Single(n => n.Name == name);

    public IEnumerable<LabPod> PodsOn(string node) => Pods.Where(p => p.Node == node);

    public static LabState Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new LabState(
            [.. root.GetProperty("nodes").EnumerateArray().Select(n => new LabNode(
                n.GetProperty("name").GetString()!,
                n.GetProperty("namespace").GetString()!,
                n.GetProperty("address").GetString()!,
                n.GetProperty("agentPid").GetInt32(),
                n.GetProperty("apiSocket").GetString()!))],
            [.. root.GetProperty("pods").EnumerateArray().Select(LabPod.Parse)]);
    }
}
