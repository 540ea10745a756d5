using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Control;

/// <summary>
/// Counts API requests by kube verb and qualified resource ("create ipamhandles.routednet.io",
/// "patch nodes/status", "watch pods"): how tests measure the API cost of an operation.
/// </summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Count(string verb, string resource) => _counts.AddOrUpdate(verb + " " + resource, 1, (_, n) => n + 1);

    public JsonObject Snapshot()
    {
        var by = new JsonObject();
        long total = 0;
        foreach (var (key, value) in _counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            by[key] = value;
            total += value;
        }
        return new JsonObject { ["total"] = total, ["byVerbResource"] = by };
    }

    public void Reset() => _counts.Clear();
}
