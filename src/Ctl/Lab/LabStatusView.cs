using System.Globalization;
using System.Text.Json;
using RoutedNet.Ctl.Output;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// `lab status`: the contract other tools read, exactly
/// {"nodes":[{"name","namespace","address","agentPid","apiSocket"}],"pods":[{"name","node","namespace","addresses":[...],
/// "podNamespace","podName","labels":{...},"ports":[{"name","protocol","port"}]}]}; a pod's "namespace" is its
/// network namespace, "podNamespace"/"podName" who it is to policy (K8S_POD_NAMESPACE/K8S_POD_NAME).
/// </summary>
internal sealed record LabStatusView(IReadOnlyList<LabStatusView.NodeView> Nodes, IReadOnlyList<LabStatusView.PodView> Pods)
{
    public sealed record NodeView(string Name, string Namespace, string Address, int AgentPid, string ApiSocket);

    public sealed record PodView(
        string Name,
        string Node,
        string Namespace,
        IReadOnlyList<string> Addresses,
        string PodNamespace,
        string PodName,
        IReadOnlyDictionary<string, string> Labels,
        IReadOnlyList<EndpointPort> Ports);

    public static LabStatusView Of(LabState state) => new(
        [.. state.Nodes.Select(n => new NodeView(n.Name, n.Namespace, n.Address, n.AgentPid, n.ApiSocket))],
        [.. state.Pods.Select(Of)]);

    public static PodView Of(LabPod pod) => new(pod.Name, pod.Node, pod.Namespace, pod.Addresses, pod.PodNamespace, pod.PodName!, pod.Labels, pod.Ports);

    public static string Json(LabStatusView view) => JsonSerializer.Serialize(view, LabJsonContext.Default.LabStatusView) + "\n";

    public static string Json(PodView pod) => JsonSerializer.Serialize(pod, LabJsonContext.Default.PodView) + "\n";

    public static string RenderTable(LabStatusView view, Func<int, bool> isAlive) =>
        Table.Render(
            ["NODE", "NAMESPACE", "ADDRESS", "AGENT PID", "API SOCKET"],
            [.. view.Nodes.Select(n => (IReadOnlyList<string>)
                [n.Name, n.Namespace, n.Address, isAlive(n.AgentPid) ? n.AgentPid.ToString(CultureInfo.InvariantCulture) : "down", n.ApiSocket])])
        + "\n"
        + Table.Render(
            ["POD", "NODE", "NAMESPACE", "ADDRESSES", "POD NAMESPACE/NAME", "LABELS"],
            [.. view.Pods.Select(p => (IReadOnlyList<string>)
                [p.Name, p.Node, p.Namespace, string.Join(", ", p.Addresses), $"{p.PodNamespace}/{p.PodName}", string.Join(",", p.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))])]);
}
