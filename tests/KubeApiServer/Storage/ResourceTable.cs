using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Storage;

/// <summary>One resource's objects, its bounded event history and its open watches.</summary>
public sealed class ResourceTable
{
    /// <summary>Keyed "namespace/name" or "name": ordinal order is etcd's key order, the list order.</summary>
    public SortedDictionary<string, JsonObject> Objects { get; } = new(StringComparer.Ordinal);

    public List<StoredEvent> History { get; } = [];

    /// <summary>A watch or continue token from an RV below this is answered 410 (compacted away).</summary>
    public long CompactedRv { get; set; }

    public List<Watcher> Watchers { get; } = [];
}
