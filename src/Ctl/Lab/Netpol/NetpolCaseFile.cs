using System.Text.Json.Nodes;
using RoutedNet.Ctl.Resources;

namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// Reads the case file (the format is the file's header: `cases:` a list of {name, tags, upstream,
/// steps: [{description, apply, delete, labelPods, labelNamespaces, probes: [{protocol, port,
/// expect}]}]}). A malformed case is one line naming the case and the field.
/// </summary>
internal static class NetpolCaseFile
{
    /// <summary>The repository's file, found from the binary (out/bin/../../tests/netpol) or the working directory.</summary>
    public static string? DefaultPath()
    {
        string[] candidates =
        [
            Environment.GetEnvironmentVariable("ROUTEDNET_NETPOL_CASES") ?? "",
            Path.Combine(Lab.BinDirectory, "..", "..", "tests", "netpol", "cases.yaml"),
            Path.Combine("tests", "netpol", "cases.yaml"),
        ];
        return candidates.Where(c => c.Length > 0).Select(Path.GetFullPath).FirstOrDefault(File.Exists);
    }

    public static IReadOnlyList<NetpolCase> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CtlException($"case file \"{path}\" does not exist");
        }
        var documents = DocumentReader.YamlDocuments(File.ReadAllText(path), path);
        if (documents.Count != 1 || documents[0] is not JsonObject root || root["cases"] is not JsonArray cases)
        {
            throw new CtlException($"{path}: must be one YAML document with a list \"cases\"");
        }
        var result = new List<NetpolCase>();
        foreach (var (node, index) in cases.Select((c, i) => (c, i + 1)))
        {
            var where = $"{path}: case {index}";
            if (node is not JsonObject c || Text(c, "name", where) is not { Length: > 0 } name)
            {
                throw new CtlException($"{where}: needs a name");
            }
            where = $"{path}: case \"{name}\"";
            result.Add(new NetpolCase(
                name,
                [.. List(c, "tags", where).Select(t => Text(t, where + " tags"))],
                Text(c, "upstream", where),
                [.. List(c, "steps", where).Select((s, i) => Step(s as JsonObject ?? throw new CtlException($"{where}: step {i + 1} is not a mapping"), $"{where} step {i + 1}"))]));
        }
        if (result.GroupBy(c => c.ShortName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new CtlException($"{path}: two cases are named {twice.Key}");
        }
        return result;
    }

    private static NetpolStep Step(JsonObject s, string where) => new(
        Text(s, "description", where) ?? "",
        [.. List(s, "apply", where).Select(d => Text(d, where + " apply"))],
        [.. List(s, "delete", where).Select(d => Text(d, where + " delete"))],
        Labels(s["labelPods"], where + " labelPods"),
        Labels(s["labelNamespaces"], where + " labelNamespaces"),
        [.. List(s, "probes", where).Select(p => Probe(p, where + " probes"))]);

    private static NetpolProbe Probe(JsonNode? node, string where)
    {
        if (node is not JsonObject p)
        {
            throw new CtlException($"{where}: each probe is {{protocol, port, expect}}");
        }
        var protocol = (Text(p, "protocol", where) ?? "").ToUpperInvariant();
        var port = p["port"] is JsonValue v && v.TryGetValue<long>(out var n) && n is > 0 and < 65536 ? (int)n : throw new CtlException($"{where}: port must be 1..65535");
        var expect = new string((Text(p, "expect", where) ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            throw new CtlException($"{where}: protocol \"{protocol}\" must be TCP, UDP or SCTP");
        }
        if (expect.Length != 81 || expect.Any(c => c is not ('.' or 'X' or '-')))
        {
            throw new CtlException($"{where} {protocol}/{port}: expect must be 81 cells of '.', 'X' and '-' (whitespace ignored), not {expect.Length}");
        }
        return new NetpolProbe(protocol, port, expect);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string?>> Labels(JsonNode? node, string where)
    {
        if (node is null)
        {
            return [];
        }
        if (node is not JsonObject map)
        {
            throw new CtlException($"{where}: must map a name to {{key: value}}");
        }
        return map.ToDictionary(
            p => p.Key,
            p => (IReadOnlyDictionary<string, string?>)(p.Value as JsonObject ?? throw new CtlException($"{where} {p.Key}: must be {{key: value}}"))
                .ToDictionary(l => l.Key, l => l.Value is null ? null : Text(l.Value, $"{where} {p.Key}.{l.Key}")),
            StringComparer.Ordinal);
    }

    private static IEnumerable<JsonNode?> List(JsonObject obj, string key, string where) => obj[key] switch
    {
        null => [],
        JsonArray array => array,
        _ => throw new CtlException($"{where}: \"{key}\" must be a list"),
    };

    private static string? Text(JsonObject obj, string key, string where) =>
        obj[key] is null ? null : Text(obj[key], $"{where} {key}");

    private static string Text(JsonNode? node, string where) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text
        : node is JsonValue other ? other.ToJsonString()
        : throw new CtlException($"{where}: must be a string");
}
