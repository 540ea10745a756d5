using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Reconcilers.Routes;

namespace RoutedNet.Felix.Metrics;

/// <summary>
/// Renders /metrics from the agent's live state at scrape time: nothing is double-booked in a
/// metrics library, the numbers are read from the components that own them.
/// </summary>
public sealed class MetricsRenderer(
    NodeState node,
    HealthRegistry health,
    ReconcileMetrics reconcile,
    RouteReconciler routes,
    BgpBackendHost bgp,
    PolicyDrops.PolicyDropService drops,
    TimeProvider time,
    RoutedNet.Felix.Reconcilers.Policy.PolicyStatus? policy = null,
    PolicyCounters.PolicyCounterReader? counters = null)
{
    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var w = new PrometheusTextWriter();
        var now = time.GetUtcNow();
        w.Family("routednet_node_uptime_seconds", "gauge", "Seconds since the agent started.");
        w.Sample("routednet_node_uptime_seconds", (now - node.Started).TotalSeconds);
        w.Family("routednet_node_ready", "gauge", "1 once the datastore is synced and the dataplane programmed.");
        w.Sample("routednet_node_ready", health.IsReady ? 1 : 0);
        w.Family("routednet_component_degraded", "gauge", "1 while a component's last attempt failed.");
        foreach (var component in health.Snapshot())
        {
            w.Sample("routednet_component_degraded", component.Degraded ? 1 : 0, ("component", component.Name));
        }

        WritePeers(w, await bgp.GetPeersAsync(cancellationToken).ConfigureAwait(false), now);
        WriteRoutes(w, routes.Counts);
        if (policy is not null)
        {
            WritePolicy(w, policy);
        }
        w.Family("routednet_reconcile_duration_seconds", "histogram", "Duration of reconcile passes (resync and apply).");
        foreach (var (name, histogram) in reconcile.Durations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Histogram("routednet_reconcile_duration_seconds", histogram, ("reconciler", name));
        }
        w.Family("routednet_reconcile_failures_total", "counter", "Reconcile passes that failed.");
        foreach (var (name, failures) in reconcile.Failures.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Sample("routednet_reconcile_failures_total", failures, ("reconciler", name));
        }
        PolicyDropMetrics.Write(w, drops.Recorder);
        if (counters is not null)
        {
            PolicyCounterMetrics.Write(w, counters.Read());
        }
        return w.ToString();
    }

    internal static void WritePeers(PrometheusTextWriter w, IReadOnlyList<BgpPeerStatus> peers, DateTimeOffset now)
    {
        static (string, string)[] Labels(BgpPeerStatus p) =>
            [("peer", p.Config.Address.ToString()), ("type", p.Config.Type.ToString().ToLowerInvariant())];

        w.Family("routednet_bgp_peer_state", "gauge", "1 for the session's current state (RFC 4271 §8.2.2).");
        foreach (var peer in peers)
        {
            foreach (var state in Enum.GetValues<PeerState>())
            {
                w.Sample("routednet_bgp_peer_state", peer.State == state ? 1 : 0, [.. Labels(peer), ("state", state.ToString().ToLowerInvariant())]);
            }
        }
        w.Family("routednet_bgp_peer_uptime_seconds", "gauge", "Seconds the session has been Established; 0 when it is not.");
        foreach (var peer in peers)
        {
            w.Sample("routednet_bgp_peer_uptime_seconds", peer.State == PeerState.Established ? (now - peer.Since).TotalSeconds : 0, Labels(peer));
        }
        Counter(w, peers, "routednet_bgp_peer_prefixes_received", "gauge", "Prefixes the peer currently announces to us.", p => p.PrefixesReceived, Labels);
        Counter(w, peers, "routednet_bgp_peer_prefixes_accepted", "gauge", "Received prefixes our import policy accepted.", p => p.PrefixesAccepted, Labels);
        Counter(w, peers, "routednet_bgp_peer_prefixes_filtered", "gauge", "Received prefixes our import policy refused (BGPFilter rules, the node's own prefixes, loops).", p => Math.Max(0, p.PrefixesReceived - p.PrefixesAccepted), Labels);
        Counter(w, peers, "routednet_bgp_peer_import_rejected_total", "counter", "Announcements our import policy refused since the peer was configured.", p => p.ImportRejected, Labels);
        Counter(w, peers, "routednet_bgp_peer_prefixes_advertised", "gauge", "Prefixes we announce to the peer.", p => p.PrefixesAdvertised, Labels);
        Counter(w, peers, "routednet_bgp_peer_flaps_total", "counter", "Times the session left Established.", p => p.Flaps, Labels);
        // A failure that heals by retrying (the kernel refused the peer's TCP-MD5 key, the peer is
        // unreachable) keeps the session down without stopping anything else: this is the alert.
        Counter(
            w, peers, "routednet_bgp_peer_failing", "gauge", "1 while the session is down after an error (its text is the peer's lastError in `routednetctl bgp peers`); retried with backoff.",
            p => p.State != PeerState.Established && !string.IsNullOrEmpty(p.LastError) ? 1 : 0, Labels);
    }

    private static void Counter(
        PrometheusTextWriter w,
        IReadOnlyList<BgpPeerStatus> peers,
        string name,
        string type,
        string help,
        Func<BgpPeerStatus, long> value,
        Func<BgpPeerStatus, (string, string)[]> labels)
    {
        w.Family(name, type, help);
        foreach (var peer in peers)
        {
            w.Sample(name, value(peer), labels(peer));
        }
    }

    private static void WritePolicy(PrometheusTextWriter w, RoutedNet.Felix.Reconcilers.Policy.PolicyStatus policy)
    {
        var current = policy.Current;
        w.Family("routednet_policy_programming_seconds", "histogram", "Policy-relevant datastore change seen to committed in table inet routednet.");
        w.Histogram("routednet_policy_programming_seconds", policy.ProgrammingSeconds);
        w.Family("routednet_policy_endpoints", "gauge", "Local endpoints by state: programmed (chains and map entries in force) or pending.");
        w.Sample("routednet_policy_endpoints", current.ProgrammedEndpoints.Count, ("state", "programmed"));
        w.Sample("routednet_policy_endpoints", current.PendingEndpoints.Count, ("state", "pending"));
        w.Family("routednet_policy_nft_batches_total", "counter", "nf_tables transactions committed.");
        w.Sample("routednet_policy_nft_batches_total", policy.Batches);
        w.Family("routednet_policy_nft_errors_total", "counter", "nf_tables commits and read-backs the kernel refused.");
        w.Sample("routednet_policy_nft_errors_total", policy.Errors);
        w.Family("routednet_policy_set_elements", "gauge", "Elements in the table's sets and maps.");
        w.Sample("routednet_policy_set_elements", current.SetElements);
        w.Family("routednet_policy_endpoint_wait_timeouts_total", "counter", "CNI ADDs whose wait for the pod's policy ran out (the pod stayed closed until programmed).");
        w.Sample("routednet_policy_endpoint_wait_timeouts_total", policy.WaitTimeouts);
        w.Family("routednet_policy_conntrack_revoked_total", "counter", "Conntrack entries deleted because policy no longer allows them.");
        w.Sample("routednet_policy_conntrack_revoked_total", policy.Revoked);
    }

    private static void WriteRoutes(PrometheusTextWriter w, RouteCounts counts)
    {
        w.Family("routednet_routes_programmed", "gauge", "Routes of ours in the kernel, by reason.");
        w.Sample("routednet_routes_programmed", counts.Workload, ("kind", "workload"));
        w.Sample("routednet_routes_programmed", counts.Blackhole, ("kind", "blackhole"));
        w.Sample("routednet_routes_programmed", counts.Bgp, ("kind", "bgp"));
        w.Family("routednet_route_conflicts", "gauge", "Desired prefixes held by another owner's route (left alone).");
        w.Sample("routednet_route_conflicts", counts.Conflicts);
    }
}
