using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Selectors;

/// <summary>
/// The fieldSelector grammar (`f=v`, `f==v`, `f!=v`, comma-separated). Every kind supports
/// metadata.name and metadata.namespace; built-ins add their own (pods: spec.nodeName, ...);
/// custom resources add only what their CRD declares as selectableFields. An unknown field is
/// 400 BadRequest, as kube-apiserver refuses it, never silently matched.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            string field;
            string value;
            bool equal;
            var ne = part.IndexOf("!=", StringComparison.Ordinal);
            if (ne > 0)
            {
                (field, value, equal) = (part[..ne], part[(ne + 2)..], false);
            }
            else
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw Status.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
                }
                value = part[(eq + 1)..];
                if (value.StartsWith('='))
                {
                    value = value[1..];
                }
                (field, equal) = (part[..eq], true);
            }
            field = field.Trim();
            if (field is not ("metadata.name" or "metadata.namespace") && !type.SelectableFields.Contains(field))
            {
                throw type.IsCustom
                    ? Status.BadRequest($"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
                    : Status.BadRequest($"field label not supported: {field}");
            }
            terms.Add((field, equal, value.Trim()));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = Lookup(obj, field);
            if ((actual == value) != equal)
            {
                return false;
            }
        }
        return true;
    }

    private static string Lookup(JsonObject obj, string field)
    {
        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => node.ToJsonString(),
        };
    }
}
