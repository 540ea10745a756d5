using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Patching;

/// <summary>
/// The fields an object sets, as the leaf paths server-side apply tracks ownership of: maps
/// are walked, scalars and lists are leaves (every list is atomic here; kube's associative lists
/// are finer-grained). System metadata is never owned. A path is its keys joined by '\u001f'.
/// </summary>
public static class FieldPaths
{
    public const char Separator = '\u001f';

    private static readonly HashSet<string> SystemMetadata =
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"];

    /// <summary>The leaves of <paramref name="obj"/>; <paramref name="part"/> "status" keeps only status, "main" drops status when it is a subresource.</summary>
    public static HashSet<string> Leaves(JsonObject obj, string? part)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (part == "status" && key != "status") || (part == "main" && key == "status"))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!SystemMetadata.Contains(metaKey))
                    {
                        Walk(metaValue, "metadata" + Separator + metaKey, result);
                    }
                }
                continue;
            }
            Walk(value, key, result);
        }
        return result;
    }

    private static void Walk(JsonNode? value, string path, HashSet<string> result)
    {
        if (value is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, child) in obj)
            {
                Walk(child, path + Separator + key, result);
            }
        }
        else
        {
            result.Add(path);
        }
    }

    public static (bool Found, JsonNode? Value) Get(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var key in path.Split(Separator))
        {
            if (node is JsonObject o && o.TryGetPropertyValue(key, out var next))
            {
                node = next;
            }
            else
            {
                return (false, null);
            }
        }
        return (true, node);
    }

    public static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var keys = path.Split(Separator);
        var node = obj;
        foreach (var key in keys[..^1])
        {
            if (node[key] is not JsonObject child)
            {
                child = new JsonObject();
                node[key] = child;
            }
            node = child;
        }
        node[keys[^1]] = value?.DeepClone();
    }

    /// <summary>Removes the field and any map left empty by its removal.</summary>
    public static void Remove(JsonObject obj, string path)
    {
        var keys = path.Split(Separator);
        var chain = new List<JsonObject> { obj };
        foreach (var key in keys[..^1])
        {
            if (chain[^1][key] is not JsonObject child)
            {
                return;
            }
            chain.Add(child);
        }
        chain[^1].Remove(keys[^1]);
        for (var i = chain.Count - 1; i > 0 && chain[i].Count == 0; i--)
        {
            if (i == 1 && keys[0] == "metadata")
            {
                chain[0]["metadata"]!.AsObject().Remove(keys[1]);
                break;
            }
            chain[i - 1].Remove(keys[i - 1]);
        }
    }

    /// <summary>".spec.cidr"-style, as kube prints a conflicting field.</summary>
    public static string Display(string path) => "." + path.Replace(Separator, '.');

    /// <summary>fieldsV1: {"f:spec":{"f:cidr":{}}}.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var key in path.Split(Separator))
            {
                if (node["f:" + key] is not JsonObject child)
                {
                    child = new JsonObject();
                    node["f:" + key] = child;
                }
                node = child;
            }
        }
        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Collect(fields, null, result);
        }
        return result;
    }

    private static void Collect(JsonObject node, string? path, HashSet<string> result)
    {
        var children = node.Where(p => p.Key.StartsWith("f:", StringComparison.Ordinal)).ToList();
        if (children.Count == 0 || node.Any(p => p.Key.StartsWith("k:", StringComparison.Ordinal) || p.Key.StartsWith("i:", StringComparison.Ordinal) || p.Key.StartsWith("v:", StringComparison.Ordinal)))
        {
            if (path is not null)
            {
                result.Add(path);
            }
            return;
        }
        foreach (var (key, child) in children)
        {
            var next = path is null ? key[2..] : path + Separator + key[2..];
            Collect(child as JsonObject ?? new JsonObject(), next, result);
        }
    }
}
