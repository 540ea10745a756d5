using System.Text.Json;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Kubernetes.Pods;

/// <summary>
/// The API's Pods and Namespaces (JSON as the API server sends them), reduced to what the agent
/// and `routednetctl policy explain` keep: read field by field, so that nothing else of a pod (its containers, volumes, status
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
            ips,
            // The API server defaults serviceAccountName to "default"; a summary of a pod read before that has none.
            String(spec, "serviceAccountName"),
            NamedPorts(spec),
            String(status, "phase") is "Succeeded" or "Failed");
    }

    /// <summary>A Namespace's name and labels.</summary>
    public static (string Name, IReadOnlyDictionary<string, string> Labels) NamespaceFromJson(JsonElement ns)
    {
        var metadata = Property(ns, "metadata");
        return (String(metadata, "name") ?? "", Labels(metadata));
    }

    /// <summary>
    /// Every container's ports that have a name (init containers' too: a restartable sidecar serves
    /// on them; Kubernetes resolves a policy's named port against all of a pod's containers).
    /// Unnamed ports are left out: policy can only refer to a port by number or by name.
    /// </summary>
    private static List<EndpointPort>? NamedPorts(JsonElement spec)
    {
        List<EndpointPort>? ports = null;
        foreach (var list in (string[])["containers", "initContainers"])
        {
            if (Property(spec, list) is not { ValueKind: JsonValueKind.Array } containers)
            {
                continue;
            }
            foreach (var container in containers.EnumerateArray())
            {
                if (Property(container, "ports") is not { ValueKind: JsonValueKind.Array } containerPorts)
                {
                    continue;
                }
                foreach (var port in containerPorts.EnumerateArray())
                {
                    if (String(port, "name") is { Length: > 0 } name
                        && Property(port, "containerPort") is { ValueKind: JsonValueKind.Number } number
                        && number.TryGetInt32(out var value))
                    {
                        (ports ??= []).Add(new EndpointPort { Name = name, Protocol = String(port, "protocol") ?? "TCP", Port = value });
                    }
                }
            }
        }
        return ports;
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
