using System.Text.Json;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// The API's Pods and Namespaces (JSON as the API server sends them), reduced to what the agent
/// keeps: read field by field, so that nothing else of a pod (its containers, volumes, status
/// conditions) is parsed or held for every change kubelet writes.
/// </summary>
public static class PodSummaries
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public static PodSummary FromJson(JsonElement pod)
    {
        var metadata = Property(pod, "metadata");
        var spec = Property(pod, "spec");
        var status = Property(pod, "status");
        var ips = new List<string>();
        if (Property(status, "podIPs") is { ValueKind: JsonValueKind.Array } podIPs)
        {
            ips.AddRange(podIPs.EnumerateArray().Select(ip => String(ip, "ip")).OfType<string>().Where(ip => ip.Length > 0));
        }
        if (ips.Count == 0 && String(status, "podIP") is { Length: > 0 } single)
        {
            // Before dual-stack (and from some writers) only podIP is set.
            ips.Add(single);
        }
        return new PodSummary(
            String(metadata, "namespace") ?? "",
            String(metadata, "name") ?? "",
            String(spec, "nodeName"),
            Property(spec, "hostNetwork").ValueKind == JsonValueKind.True,
            Labels(metadata),
            ips);
    }

    /// <summary>A Namespace's name and labels.</summary>
    public static (string Name, IReadOnlyDictionary<string, string> Labels) NamespaceFromJson(JsonElement ns)
    {
        var metadata = Property(ns, "metadata");
        return (String(metadata, "name") ?? "", Labels(metadata));
    }

    private static IReadOnlyDictionary<string, string> Labels(JsonElement metadata)
    {
        if (Property(metadata, "labels") is not { ValueKind: JsonValueKind.Object } labels)
        {
            return NoLabels;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels.EnumerateObject())
        {
            if (label.Value.ValueKind == JsonValueKind.String)
            {
                result[label.Name] = label.Value.GetString()!;
            }
        }
        return result;
    }

    private static JsonElement Property(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var found) ? found : default;

    private static string? String(JsonElement value, string name) =>
        Property(value, name) is { ValueKind: JsonValueKind.String } found ? found.GetString() : null;
}
