using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// Sets the core Node's NetworkUnavailable condition to False (reason RoutedNetIsUp) once the agent
/// has programmed its node, as CNI agents do: some clouds' node controllers create Nodes with it
/// True, which keeps pods off the node until a network provider clears it. It is never set True,
/// not even on shutdown: a restart or an uninstall must not cordon the node's running pods
/// (Calico's "CalicoIsDown" left nodes unusable after an uninstall).
/// </summary>
public static class NetworkCondition
{
    public const string Type = "NetworkUnavailable";
    public const string Reason = "RoutedNetIsUp";

    private const int Attempts = 16;

    /// <summary>
    /// Writes the condition unless it is already False with our reason. A merge patch replaces the
    /// whole conditions list, so the list is read, changed in one entry and written back with the
    /// Node's resourceVersion: a kubelet heartbeat in between is a conflict, read again, never overwritten.
    /// </summary>
    public static async Task<bool> SetAvailableAsync(KubeApi api, string nodeName, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        for (var attempt = 1; ; attempt++)
        {
            if (await api.GetAsync(KubeResource.Nodes, nodeName, cancellationToken).ConfigureAwait(false) is not { } node)
            {
                return false;
            }
            if (Patch(node, time.GetUtcNow()) is not { } patch)
            {
                return true;
            }
            try
            {
                await api.MergePatchAsync(KubeResource.Nodes, nodeName, patch, "status", $"Node \"{nodeName}\" condition {Type}", cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RevisionConflictException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>The merge patch that sets the condition on <paramref name="node"/>, or null when it is set already.</summary>
    public static byte[]? Patch(JsonElement node, DateTimeOffset now)
    {
        var conditions = new JsonArray();
        var found = false;
        if (node.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("conditions", out var existing) && existing.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in existing.EnumerateArray())
            {
                if (condition.ValueKind == JsonValueKind.Object && condition.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == Type)
                {
                    if (String(condition, "status") == "False" && String(condition, "reason") == Reason)
                    {
                        return null;
                    }
                    found = true;
                    conditions.Add((JsonNode)Ours(now));
                }
                else
                {
                    conditions.Add(JsonNode.Parse(condition.GetRawText()));
                }
            }
        }
        if (!found)
        {
            conditions.Add((JsonNode)Ours(now));
        }
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = KubeApi.ResourceVersionOf(node) },
            ["status"] = new JsonObject { ["conditions"] = conditions },
        };
        return System.Text.Encoding.UTF8.GetBytes(patch.ToJsonString());
    }

    private static JsonObject Ours(DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["type"] = Type,
            ["status"] = "False",
            ["reason"] = Reason,
            ["message"] = "RoutedNet is running on this node",
            ["lastTransitionTime"] = stamp,
            ["lastHeartbeatTime"] = stamp,
        };
    }

    private static string? String(JsonElement value, string name) =>
        value.TryGetProperty(name, out var found) && found.ValueKind == JsonValueKind.String ? found.GetString() : null;
}
