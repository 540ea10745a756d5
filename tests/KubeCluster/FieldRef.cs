using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>The downward API's fieldRef paths kubelet resolves for env and volumes.</summary>
public static class FieldRef
{
    public static string Resolve(JsonObject pod, string fieldPath, string? hostIp)
    {
        var metadata = pod["metadata"]!;
        var spec = pod["spec"]!;
        return fieldPath switch
        {
            "metadata.name" => (string)metadata["name"]!,
            "metadata.namespace" => (string)metadata["namespace"]!,
            "metadata.uid" => (string)metadata["uid"]!,
            "spec.nodeName" => (string)spec["nodeName"]!,
            "spec.serviceAccountName" => (string?)spec["serviceAccountName"] ?? "default",
            "status.hostIP" or "status.podIP" when hostIp is not null && (bool?)spec["hostNetwork"] == true => hostIp,
            "status.hostIP" when hostIp is not null => hostIp,
            _ when fieldPath.StartsWith("metadata.labels['", StringComparison.Ordinal) => (string?)metadata["labels"]?[fieldPath[17..^2]] ?? "",
            _ when fieldPath.StartsWith("metadata.annotations['", StringComparison.Ordinal) => (string?)metadata["annotations"]?[fieldPath[22..^2]] ?? "",
            _ => throw new InvalidOperationException($"fieldRef {fieldPath} is not played by the harness"),
        };
    }
}
