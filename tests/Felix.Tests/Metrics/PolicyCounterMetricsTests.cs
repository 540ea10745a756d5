using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.PolicyCounters;

namespace RoutedNet.Felix.Tests.Metrics;

public sealed class PolicyCounterMetricsTests
{
    [Fact]
    public void Write_OneSeriesPerPolicyRule_CountersWithPolicyLabels_GlobalPolicyEmptyNamespace_ThenImplicitDrops()
    {
        var w = new PrometheusTextWriter();

        PolicyCounterMetrics.Write(w, new PolicyCounterSnapshot(
            [
                new PolicyRuleCounter("default", "x", "allow-web", "ingress", 0, "allow", 12, 1008),
                new PolicyRuleCounter("admin", null, "deny-z", "egress", 2, "deny", 3, 252),
            ],
            [
                new ImplicitDropCounter("default", "ingress", "end-of-tier", 4, 336),
                new ImplicitDropCounter("", "egress", "unknown-endpoint", 1, 84),
            ]));

        Assert.Equal(
            """
            # HELP routednet_policy_packets_total Packets each policy rule matched on this node (the first packet of each connection it allowed, every packet it denied), from the rule's nftables counter; 0 again when the policy's rules change.
            # TYPE routednet_policy_packets_total counter
            routednet_policy_packets_total{tier="default",namespace="x",policy="allow-web",direction="ingress",rule="0",action="allow"} 12
            routednet_policy_packets_total{tier="admin",namespace="",policy="deny-z",direction="egress",rule="2",action="deny"} 3
            # HELP routednet_policy_bytes_total Bytes (IP packet lengths) of the packets in routednet_policy_packets_total.
            # TYPE routednet_policy_bytes_total counter
            routednet_policy_bytes_total{tier="default",namespace="x",policy="allow-web",direction="ingress",rule="0",action="allow"} 1008
            routednet_policy_bytes_total{tier="admin",namespace="",policy="deny-z",direction="egress",rule="2",action="deny"} 252
            # HELP routednet_policy_implicit_drop_packets_total Packets dropped on this node because a tier's policies selected the pod and none decided (reason end-of-tier), or the interface is not programmed (unknown-endpoint; tier empty), from the kernel's counters.
            # TYPE routednet_policy_implicit_drop_packets_total counter
            routednet_policy_implicit_drop_packets_total{tier="default",direction="ingress",reason="end-of-tier"} 4
            routednet_policy_implicit_drop_packets_total{tier="",direction="egress",reason="unknown-endpoint"} 1
            # HELP routednet_policy_implicit_drop_bytes_total Bytes (IP packet lengths) of the packets in routednet_policy_implicit_drop_packets_total.
            # TYPE routednet_policy_implicit_drop_bytes_total counter
            routednet_policy_implicit_drop_bytes_total{tier="default",direction="ingress",reason="end-of-tier"} 336
            routednet_policy_implicit_drop_bytes_total{tier="",direction="egress",reason="unknown-endpoint"} 84

            """.ReplaceLineEndings("\n"),
            w.ToString());
    }

    [Fact]
    public void Write_NoPolicyInForce_FamiliesWithoutSeries()
    {
        var w = new PrometheusTextWriter();

        PolicyCounterMetrics.Write(w, PolicyCounterSnapshot.Empty);

        Assert.DoesNotContain("routednet_policy_packets_total{", w.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE routednet_policy_bytes_total counter\n", w.ToString(), StringComparison.Ordinal);
    }
}
