using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// Between RoutedNet's Node and the core Node: spec and identity in <see cref="NodeAnnotations"/>,
/// labels shared with the core Node (selectors match what the cluster labels the node with). Labels
/// RoutedNet adds are remembered, so that removing one from RoutedNet's Node removes it from the
/// core Node, and the kubelet's labels are never removed.
/// </summary>
internal static class NodeMapping
{
    /// <summary>RoutedNet's Node in <paramref name="core"/>, or null when it carries none.</summary>
    public static StoredEntry? ToEntry(JsonElement core)
    {
        var metadata = core.TryGetProperty("metadata", out var m) ? m : default;
        var annotations = CustomResources.Strings(metadata, "annotations");
        var name = CustomResources.String(metadata, "name") ?? "";
        if (!annotations.TryGetValue(NodeAnnotations.Uid, out var uid))
        {
            return null;
        }
        var labels = CustomResources.Strings(metadata, "labels");
        var node = new Node
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Uid = uid,
                CreationTimestamp = annotations.TryGetValue(NodeAnnotations.CreationTimestamp, out var created)
                    && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null,
                Labels = labels.Count > 0 ? labels : null,
                Annotations = annotations.TryGetValue(NodeAnnotations.Annotations, out var own) ? ParseMap(own) : null,
            },
            Spec = new NodeSpec
            {
                Addresses = annotations.TryGetValue(NodeAnnotations.Addresses, out var addresses)
                    ? addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [],
                AsNumber = annotations.TryGetValue(NodeAnnotations.AsNumber, out var asn)
                    && uint.TryParse(asn, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null,
                RouteReflectorClusterID = annotations.GetValueOrDefault(NodeAnnotations.RouteReflectorClusterId),
                Drain = annotations.TryGetValue(NodeAnnotations.Drain, out var drain) ? ParseDrain(drain) : null,
            },
        };
        var revision = CustomResources.Revision(Api.KubeApi.ResourceVersionOf(core), Node.KindName, name);
        return new StoredEntry(Node.KindName, name, JsonSerializer.SerializeToUtf8Bytes(node, Node.JsonTypeInfo), revision);
    }

    /// <summary>
    /// The merge patch that writes <paramref name="value"/> (RoutedNet's Node, stored JSON) onto
    /// <paramref name="core"/>, only if the core Node is still at <paramref name="revision"/>.
    /// </summary>
    public static byte[] WritePatch(byte[] value, JsonElement core, long revision, bool create)
    {
        var node = JsonSerializer.Deserialize(value, Node.JsonTypeInfo)!;
        var metadata = core.TryGetProperty("metadata", out var m) ? m : default;
        var coreLabels = CustomResources.Strings(metadata, "labels");
        var previous = Managed(CustomResources.Strings(metadata, "annotations"));

        var labels = new JsonObject();
        var managed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, wanted) in node.Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (previous.Contains(key) || !coreLabels.TryGetValue(key, out var has) || has != wanted)
            {
                labels[key] = wanted;
                managed.Add(key);
            }
        }
        foreach (var key in previous.Where(k => node.Metadata.Labels?.ContainsKey(k) != true))
        {
            labels[key] = null;
        }

        var annotations = new JsonObject
        {
            [NodeAnnotations.Addresses] = string.Join(',', node.Spec.Addresses),
            [NodeAnnotations.AsNumber] = node.Spec.AsNumber?.ToString(CultureInfo.InvariantCulture),
            [NodeAnnotations.RouteReflectorClusterId] = node.Spec.RouteReflectorClusterID,
            [NodeAnnotations.Drain] = node.Spec.Drain is { } drain ? JsonSerializer.Serialize(drain, DatastoreJsonContext.Default.NodeDrain) : null,
            [NodeAnnotations.Labels] = managed.Count > 0 ? string.Join(',', managed) : null,
            [NodeAnnotations.Annotations] = node.Metadata.Annotations is { Count: > 0 } own ? FormatMap(own) : null,
        };
        if (create)
        {
            annotations[NodeAnnotations.Uid] = node.Metadata.Uid ?? Guid.NewGuid().ToString();
            annotations[NodeAnnotations.CreationTimestamp] = (node.Metadata.CreationTimestamp ?? DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture);
        }
        return Patch(revision, annotations, labels);
    }

    /// <summary>The merge patch that removes RoutedNet's Node (its annotations and the labels it added) from <paramref name="core"/>.</summary>
    public static byte[] RemovePatch(JsonElement core, long revision)
    {
        var metadata = core.TryGetProperty("metadata", out var m) ? m : default;
        var existing = CustomResources.Strings(metadata, "annotations");
        var annotations = new JsonObject();
        foreach (var key in NodeAnnotations.Fields)
        {
            annotations[key] = null;
        }
        var labels = new JsonObject();
        foreach (var key in Managed(existing))
        {
            labels[key] = null;
        }
        return Patch(revision, annotations, labels);
    }

    private static byte[] Patch(long revision, JsonObject annotations, JsonObject labels)
    {
        var metadata = new JsonObject
        {
            // The patch applies only to this version of the core Node (a conflict otherwise).
            ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture),
            ["annotations"] = annotations,
        };
        if (labels.Count > 0)
        {
            metadata["labels"] = labels;
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["metadata"] = metadata }.ToJsonString());
    }

    private static HashSet<string> Managed(SortedDictionary<string, string> annotations) =>
        annotations.TryGetValue(NodeAnnotations.Labels, out var keys)
            ? keys.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : [];

    private static string FormatMap(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }
        return json.ToJsonString();
    }

    // Unreadable (edited by hand): the node is drained all the same, at once, rather than put back in service.
    private static NodeDrain ParseDrain(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DatastoreJsonContext.Default.NodeDrain) ?? new NodeDrain { GracefulShutdownSeconds = 0 };
        }
        catch (JsonException)
        {
            return new NodeDrain { GracefulShutdownSeconds = 0 };
        }
    }

    private static Dictionary<string, string>? ParseMap(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind != JsonValueKind.Object ? null : document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
