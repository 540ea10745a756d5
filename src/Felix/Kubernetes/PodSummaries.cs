using k8s.Models;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>The API's Pod and Namespace, reduced to what the agent keeps of them.</summary>
public static class PodSummaries
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public static PodSummary From(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ips = pod.Status?.PodIPs?.Select(ip => ip.Ip).Where(ip => !string.IsNullOrEmpty(ip)).ToList()
            ?? (string.IsNullOrEmpty(pod.Status?.PodIP) ? [] : [pod.Status.PodIP]);
        return new PodSummary(
            pod.Metadata?.NamespaceProperty ?? "",
            pod.Metadata?.Name ?? "",
            pod.Spec?.NodeName,
            pod.Spec?.HostNetwork ?? false,
            Labels(pod.Metadata?.Labels),
            ips);
    }

    public static IReadOnlyDictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0 ? NoLabels : new Dictionary<string, string>(labels, StringComparer.Ordinal);
}
