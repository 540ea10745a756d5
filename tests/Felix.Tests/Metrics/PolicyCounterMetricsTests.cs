using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.PolicyCounters;

namespace RoutedNet.Felix.Tests.Metrics;

public sealed class PolicyCounterMetricsTests
{
    [Fact]
    public void Write_OneSeriesPerPolicyRule_CountersWithPolicyLabels_GlobalPolicyEmptyNamespace()
    {
        var w = new PrometheusTextWriter();

        PolicyCounterMetrics.Write(w,
        [
            new PolicyRuleCounter("default", "x", "allow-web", "ingress", 0, "allow", 12, 1008),
            new PolicyRuleCounter("admin", null, "deny-z", "egress", 2, "deny", 3, 252),
        ]);

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

            """.ReplaceLineEndings("\n"),
            w.ToString());
    }

    [Fact]
    public void Write_NoPolicyInForce_FamiliesWithoutSeries()
    {
        var w = new PrometheusTextWriter();

        PolicyCounterMetrics.Write(w, []);

        Assert.DoesNotContain("routednet_policy_packets_total{", w.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE routednet_policy_bytes_total counter\n", w.ToString(), StringComparison.Ordinal);
    }
}
