using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// Between the stored JSON of a kind (what sqlite and etcd keep: apiVersion, kind, metadata,
/// spec) and its custom resource: the object name encoded (<see cref="ObjectNames"/>), the
/// node label added, uid and creationTimestamp left to the API server, and on the way back
/// everything the server adds (managedFields, generation...) dropped and our own keys removed,
/// so that what a caller wrote is what it reads.
/// </summary>
internal static class CustomResources
{
    public static byte[] ToObject(string kind, string name, byte[] value, long? resourceVersion)
    {
        var obj = JsonNode.Parse(value)?.AsObject() ?? throw new ArgumentException($"{kind} \"{name}\": stored form is JSON null", nameof(value));
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }
        // A kind the API has natively is sent as that kind (v1 Namespace, networking.k8s.io/v1
        // NetworkPolicy): the API server refuses a body whose apiVersion is not the resource's.
        if (CrdKinds.NativeKinds.TryGetValue(kind, out var native))
        {
            obj["apiVersion"] = native.Group.Length == 0 ? native.Version : native.Group + "/" + native.Version;
            obj["kind"] = native.Kind;
        }
        metadata.Remove("uid");
        metadata.Remove("creationTimestamp");
        metadata.Remove("resourceVersion");
        var encoded = ObjectNames.Encode(name);
        metadata["name"] = encoded;
        if (encoded != name)
        {
            Map(metadata, "annotations")[ObjectNames.NameAnnotation] = name;
        }
        if (NodeOf(kind, obj) is { } node)
        {
            Map(metadata, "labels")[NodeLabels.Key] = NodeLabels.ValueFor(node);
        }
        if (resourceVersion is { } rv)
        {
            metadata["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        }
        return Encoding.UTF8.GetBytes(obj.ToJsonString());
    }

    public static StoredEntry ToEntry(string kind, JsonElement obj)
    {
        var metadata = obj.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var objectName = String(metadata, "name") ?? "";
        var annotations = Strings(metadata, "annotations");
        var name = annotations.Remove(ObjectNames.NameAnnotation, out var logical) ? logical : objectName;
        var labels = Strings(metadata, "labels");
        labels.Remove(NodeLabels.Key);

        var meta = new JsonObject { ["name"] = name };
        var ns = String(metadata, "namespace");
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }
        Copy(metadata, meta, "uid");
        Copy(metadata, meta, "creationTimestamp");
        if (labels.Count > 0)
        {
            meta["labels"] = ToObject(labels);
        }
        if (annotations.Count > 0)
        {
            meta["annotations"] = ToObject(annotations);
        }
        var result = new JsonObject
        {
            ["apiVersion"] = Resource.GroupVersion,
            ["kind"] = kind,
            ["metadata"] = meta,
        };
        if (obj.TryGetProperty("spec", out var spec))
        {
            result["spec"] = JsonNode.Parse(spec.GetRawText());
        }
        // A namespaced object's key is NAMESPACE/NAME, as in every datastore (StoreKeys).
        var key = ns is null ? name : StoreKeys.Namespaced(ns, name);
        return new StoredEntry(kind, key, Encoding.UTF8.GetBytes(result.ToJsonString()), Revision(KubeApi.ResourceVersionOf(obj), kind, key));
    }

    /// <summary>Our revisions are numbers, as the API server's resourceVersions are (etcd revisions).</summary>
    public static long Revision(string resourceVersion, string kind, string name) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw new DatastoreUnusableException($"{kind} \"{name}\": resourceVersion \"{resourceVersion}\" from the API server is not a number");

    /// <summary>The node an IPAM object belongs to, for the node label.</summary>
    private static string? NodeOf(string kind, JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        if (kind == BlockAffinity.KindName)
        {
            return spec?["node"] is JsonValue node && node.TryGetValue<string>(out var name) && name.Length > 0 ? name : null;
        }
        if (kind == IPAMBlock.KindName && spec?["affinity"] is JsonValue affinity && affinity.TryGetValue<string>(out var text)
            && text.StartsWith("host:", StringComparison.Ordinal) && text.Length > 5)
        {
            return text[5..];
        }
        return null;
    }

    private static JsonObject Map(JsonObject metadata, string field)
    {
        if (metadata[field] is JsonObject map)
        {
            return map;
        }
        map = [];
        metadata[field] = map;
        return map;
    }

    private static JsonObject ToObject(SortedDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }
        return map;
    }

    internal static string? String(JsonElement obj, string field) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static SortedDictionary<string, string> Strings(JsonElement obj, string field)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(field, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    result[property.Name] = property.Value.GetString()!;
                }
            }
        }
        return result;
    }

    private static void Copy(JsonElement from, JsonObject to, string field)
    {
        if (String(from, field) is { } value)
        {
            to[field] = value;
        }
    }
}
