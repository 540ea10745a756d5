using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RoutedNet.Ctl.Resources;

/// <summary>
/// Reads the resources of a file: JSON (one object, an array, or a list with "items") or YAML
/// with several documents. YAML goes through a JSON tree into the source-generated records
/// (NativeAOT: no reflection-based YAML deserialisation).
/// </summary>
internal static class DocumentReader
{
    public static IReadOnlyList<(IKindOps Kind, Resource Resource)> Read(string text, string source)
    {
        var documents = text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[')
            ? FromJson(text, source)
            : FromYaml(text, source);
        var result = new List<(IKindOps, Resource)>();
        var index = 0;
        foreach (var document in documents)
        {
            index++;
            if (document is not JsonObject obj)
            {
                throw new CtlException($"{source}: document {index} is not a mapping");
            }
            var kindName = Text(obj, "kind", source, index) ?? throw new CtlException($"{source}: document {index} has no \"kind\"");
            var apiVersion = Text(obj, "apiVersion", source, index);
            var kind = Kinds.FindDocument(apiVersion, kindName);
            if (kind is null)
            {
                if (apiVersion != Resource.GroupVersion && (apiVersion, kindName) is not (_, "NetworkPolicy" or "Namespace"))
                {
                    throw new CtlException($"{source}: document {index} ({kindName}): apiVersion must be {Resource.GroupVersion}, not \"{apiVersion}\"");
                }
                throw new CtlException(apiVersion == Resource.GroupVersion
                    ? $"{source}: document {index}: unknown kind \"{kindName}\"; known kinds: {string.Join(", ", Kinds.Names)}"
                    : $"{source}: document {index} ({kindName}): apiVersion \"{apiVersion}\" is not known for {kindName} (networking.k8s.io/v1 NetworkPolicy, v1 or routednet.io/v1 Namespace)");
            }
            Resource resource;
            try
            {
                using var json = JsonDocument.Parse(obj.ToJsonString());
                resource = kind.Parse(json.RootElement);
            }
            catch (ResourceValidationException e)
            {
                var named = obj["metadata"] is JsonObject { } meta && meta["name"] is JsonValue name && name.TryGetValue<string>(out var objectName) ? $" \"{objectName}\"" : "";
                throw new CtlException($"{source}: document {index} ({kindName}{named}): {e.Message}", e);
            }
            // A document without metadata deserialises with a null Metadata despite the initialiser.
            if (string.IsNullOrEmpty(resource.Metadata?.Name))
            {
                throw new CtlException($"{source}: document {index} ({kindName}) has no metadata.name");
            }
            result.Add((kind, resource));
        }
        return result;
    }

    // kind: 5 or apiVersion: [x] is a typo to name, not a crash (JsonNode.GetValue<string> throws on a number).
    private static string? Text(JsonObject obj, string key, string source, int index) => obj[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var other => throw new CtlException($"{source}: document {index}: \"{key}\" must be a string, not {other.ToJsonString()}"),
    };

    private static IEnumerable<JsonNode?> FromJson(string text, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CtlException($"{source}: not valid JSON: {e.Message}", e);
        }
        return root switch
        {
            JsonArray array => array,
            JsonObject obj when obj["items"] is JsonArray items => items,
            _ => [root],
        };
    }

    /// <summary>Every YAML document of <paramref name="text"/> as a JSON tree (YAML's core scalar types), for files that are not resources (the lab's case file).</summary>
    public static IReadOnlyList<JsonNode?> YamlDocuments(string text, string source) => FromYaml(text, source);

    private static List<JsonNode?> FromYaml(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CtlException($"{source}: not valid YAML: {e.Message}", e);
        }
        return stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => ToJson(d.RootNode, source)).ToList();
    }

    private static JsonNode? ToJson(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => Mapping(map, source),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => ToJson(c, source)).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // YAML allows complex keys (`? [a, b]`), which JSON objects do not: a mistake worth a line,
    // not a cast failure. (YamlDotNet already refuses a key given twice.)
    private static JsonObject Mapping(YamlMappingNode map, string source)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new CtlException($"{source}: line {key.Start.Line}: mapping keys must be plain strings");
            }
            obj[name] = ToJson(value, source);
        }
        return obj;
    }

    // Plain scalars carry YAML's core types; quoted ones are always strings.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && value.Contains('.', StringComparison.Ordinal) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
