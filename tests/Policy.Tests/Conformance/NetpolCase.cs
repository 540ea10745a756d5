using System.Text.Json.Nodes;

namespace RoutedNet.Policy.Tests.Conformance;

/// <summary>One case of tests/netpol/cases.yaml (format: the file's header and docs/DESIGN.md).</summary>
public sealed record NetpolCase(string Name, IReadOnlyList<string> Tags, IReadOnlyList<NetpolStep> Steps)
{
    public override string ToString() => Name;

    public static IReadOnlyList<NetpolCase> Load(string path)
    {
        var root = YamlJson.Parse(File.ReadAllText(path))!.AsObject();
        return [.. root["cases"]!.AsArray().Select(c => FromJson(c!.AsObject()))];
    }

    private static NetpolCase FromJson(JsonObject c) => new(
        (string)c["name"]!,
        [.. (c["tags"]?.AsArray() ?? []).Select(t => (string)t!)],
        [.. c["steps"]!.AsArray().Select(s => Step(s!.AsObject()))]);

    private static NetpolStep Step(JsonObject s) => new(
        (string?)s["description"] ?? "",
        [.. (s["apply"]?.AsArray() ?? []).Select(d => (string)d!)],
        [.. (s["delete"]?.AsArray() ?? []).Select(d => (string)d!)],
        Labels(s["labelPods"]),
        Labels(s["labelNamespaces"]),
        [.. (s["probes"]?.AsArray() ?? []).Select(p => new NetpolProbe((string)p!["protocol"]!, (int)(long)p["port"]!, (string)p["expect"]!))]);

    private static Dictionary<string, Dictionary<string, string?>> Labels(JsonNode? node) =>
        node is not JsonObject map ? []
        : map.ToDictionary(p => p.Key, p => p.Value!.AsObject().ToDictionary(l => l.Key, l => (string?)l.Value));
}
