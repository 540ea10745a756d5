using System.Text.Json.Nodes;

namespace RoutedNet.Integration.Cni;

/// <summary>Config edits a runtime makes between calls (libcni injects prevResult for CHECK and DEL, and between chained plugins).</summary>
public static class CniConfigs
{
    public static JsonObject WithPrevResult(JsonObject config, CniCall add)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(add);
        var copy = config.DeepClone().AsObject();
        copy["prevResult"] = JsonNode.Parse(add.Stdout);
        return copy;
    }

    public static JsonObject With(JsonObject config, string key, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(config);
        var copy = config.DeepClone().AsObject();
        copy[key] = value;
        return copy;
    }
}
