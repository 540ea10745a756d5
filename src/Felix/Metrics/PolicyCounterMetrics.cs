using RoutedNet.Felix.PolicyCounters;

namespace RoutedNet.Felix.Metrics;

/// <summary>
/// routednet_policy_packets_total and routednet_policy_bytes_total{tier,namespace,policy,direction,
/// rule,action}: what each policy rule matched on this node, from the kernel's counters on its rules.
/// One series per rule of each policy that selects a pod of this node, never per pod: a policy's
/// chain is shared by every pod it selects, so the kernel has no per-pod count to give, and pod
/// labels would multiply the series by the pods and churn with every pod start. The series of a
/// node are thus bounded by the rules of the policies it enforces (Calico caps a policy at 1,024).
/// The implicit drops (a tier's end, an unknown interface) are 8 series, whatever the node runs.
/// </summary>
internal static class PolicyCounterMetrics
{
    public const string Packets = "routednet_policy_packets_total";
    public const string Bytes = "routednet_policy_bytes_total";

    public const string ImplicitPackets = "routednet_policy_implicit_drop_packets_total";
    public const string ImplicitBytes = "routednet_policy_implicit_drop_bytes_total";

    public static void Write(PrometheusTextWriter w, PolicyCounterSnapshot snapshot)
    {
        var counters = snapshot.Rules;
        w.Family(Packets, "counter", "Packets each policy rule matched on this node (the first packet of each connection it allowed, every packet it denied), from the rule's nftables counter; 0 again when the policy's rules change.");
        foreach (var counter in counters)
        {
            w.Sample(Packets, counter.Packets, Labels(counter));
        }
        w.Family(Bytes, "counter", "Bytes (IP packet lengths) of the packets in routednet_policy_packets_total.");
        foreach (var counter in counters)
        {
            w.Sample(Bytes, counter.Bytes, Labels(counter));
        }
        // The drops no rule made, exact (routednet_policy_drops_total samples the same from the log):
        // a fixed set of series, tiers x directions and the unknown endpoint per direction.
        w.Family(ImplicitPackets, "counter", "Packets dropped on this node because a tier's policies selected the pod and none decided (reason end-of-tier), or the interface is not programmed (unknown-endpoint; tier empty), from the kernel's counters.");
        foreach (var drop in snapshot.ImplicitDrops)
        {
            w.Sample(ImplicitPackets, drop.Packets, ("tier", drop.Tier), ("direction", drop.Direction), ("reason", drop.Reason));
        }
        w.Family(ImplicitBytes, "counter", "Bytes (IP packet lengths) of the packets in routednet_policy_implicit_drop_packets_total.");
        foreach (var drop in snapshot.ImplicitDrops)
        {
            w.Sample(ImplicitBytes, drop.Bytes, ("tier", drop.Tier), ("direction", drop.Direction), ("reason", drop.Reason));
        }
    }

    // namespace is empty for a GlobalNetworkPolicy; policy is the name within it.
    private static (string, string)[] Labels(PolicyRuleCounter c) =>
    [
        ("tier", c.Tier),
        ("namespace", c.Namespace ?? ""),
        ("policy", c.Name),
        ("direction", c.Direction),
        ("rule", c.Rule.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("action", c.Action),
    ];
}
