using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Patching;

/// <summary>Server-side apply's merge of an applied configuration into the live object.</summary>
public static class ServerSideApply
{
    public static JsonObject Merge(JsonObject current, JsonObject applied, IReadOnlySet<string> previouslyOwned)
    {
        _ = previouslyOwned;
        return (JsonObject)MergePatch.Apply(current, applied)!;
    }
}
