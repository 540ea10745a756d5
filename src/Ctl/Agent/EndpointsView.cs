using System.Text.Json;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// `node endpoints`: the WorkloadEndpoints the agent keeps for its node, with the labels policy
/// selects on (on the kubernetes datastore they exist only in the agent, derived from Pods).
/// </summary>
internal static class EndpointsView
{
    public static string Render(IReadOnlyList<AgentWorkloadEndpoint> endpoints, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("endpoints");
            foreach (var e in endpoints)
            {
                w.WriteStartObject();
                w.WriteString("name", e.Name);
                w.WriteString("namespace", e.Namespace);
                w.WriteString("pod", e.Pod);
                w.WriteString("containerID", e.ContainerId);
                w.WriteString("interface", e.Interface);
                w.WriteString("hostInterface", e.HostInterface);
                w.WriteString("network", e.Network);
                StructuredOutput.WriteStrings(w, "ipNetworks", e.IpNetworks);
                WriteMap(w, "labels", e.Labels);
                WriteMap(w, "namespaceLabels", e.NamespaceLabels);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }),
        _ => Table.Render(
            [
                "NAMESPACE", "POD", "ADDRESSES", "HOST INTERFACE", "LABELS",
                .. format == OutputFormat.Wide ? (string[])["NAMESPACE LABELS", "CONTAINER", "NAME"] : [],
            ],
            [.. endpoints.Select(e => (IReadOnlyList<string>)
            [
                e.Namespace, e.Pod, string.Join(",", e.IpNetworks), e.HostInterface, Labels(e.Labels),
                .. format == OutputFormat.Wide ? (string[])[Labels(e.NamespaceLabels), e.ContainerId, e.Name] : [],
            ])]),
    };

    // kubectl's --show-labels form: k=v,k=v in key order.
    private static string Labels(IDictionary<string, string> labels) =>
        labels.Count == 0 ? "<none>" : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static void WriteMap(Utf8JsonWriter w, string name, IDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }
        w.WriteEndObject();
    }
}
