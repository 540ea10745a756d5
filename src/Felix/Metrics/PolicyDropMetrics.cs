using RoutedNet.Felix.PolicyDrops;

namespace RoutedNet.Felix.Metrics;

/// <summary>routednet_policy_drops_total{namespace,direction,reason}: the packets policy dropped, from its rate-limited drop log.</summary>
internal static class PolicyDropMetrics
{
    public static void Write(PrometheusTextWriter w, PolicyDropRecorder recorder)
    {
        w.Family("routednet_policy_drops_total", "counter", "Packets policy dropped on this node, as its drop rules logged them (rate-limited to 10/s per rule: a floor, not an exact count).");
        foreach (var ((ns, direction, reason), count) in recorder.Counts().OrderBy(kv => kv.Key.Namespace, StringComparer.Ordinal).ThenBy(kv => kv.Key.Direction).ThenBy(kv => kv.Key.Reason))
        {
            w.Sample("routednet_policy_drops_total", count,
                ("namespace", ns),
                ("direction", DropText.Of(direction)),
                ("reason", DropText.Of(reason)));
        }
    }
}
