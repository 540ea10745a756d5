using RoutedNet.Felix.PolicyCounters;

namespace RoutedNet.Felix.Metrics;

/// <summary>
/// routednet_policy_packets_total and routednet_policy_bytes_total{tier,namespace,policy,direction,
/// rule,action}: what each policy rule matched on this node, from the kernel's counters on its rules.
/// One series per rule of each policy that selects a pod of this node, never per pod: a policy's
/// chain is shared by every pod it selects, so the kernel has no per-pod count to give, and pod
/// labels would multiply the series by the pods and churn with every pod start. The series of a
/// node are thus bounded by the rules of the policies it enforces (Calico caps a policy at 1,024).
/// </summary>
internal static class PolicyCounterMetrics
{
    public const string Packets = "routednet_policy_packets_total";
    public const string Bytes = "routednet_policy_bytes_total";

    public static void Write(PrometheusTextWriter w, IReadOnlyList<PolicyRuleCounter> counters)
    {
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
