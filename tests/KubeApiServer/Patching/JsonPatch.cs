using System.Globalization;
using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Patching;

/// <summary>JSON patch, RFC 6902 (application/json-patch+json): add, remove, replace, move, copy, test.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw Status.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        var doc = target.DeepClone();
        foreach (var op in ops.OfType<JsonObject>())
        {
            var kind = (string?)op["op"];
            var path = (string?)op["path"] ?? throw Status.BadRequest("the server rejected our request due to an error in our request");
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "replace":
                    Get(doc, path);
                    Remove(doc, path);
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Get(doc, (string)op["from"]!)?.DeepClone();
                    Remove(doc, (string)op["from"]!);
                    doc = Add(doc, path, moved);
                    break;
                case "copy":
                    doc = Add(doc, path, Get(doc, (string)op["from"]!)?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }
                    break;
                default:
                    throw Status.BadRequest($"Unexpected kind: {kind}");
            }
        }
        return doc;
    }

    private static List<string> Tokens(string path) =>
        path.Length == 0 ? [] : [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Get(JsonNode doc, string path)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\": missing value"),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value ?? doc;
        }
        var parent = Get(doc, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, CultureInfo.InvariantCulture, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\": missing value");
        }
        return doc;
    }

    private static void Remove(JsonNode doc, string path)
    {
        var tokens = Tokens(path);
        var parent = Get(doc, tokens.Count <= 1 ? "" : "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\": missing value");
        }
    }
}
