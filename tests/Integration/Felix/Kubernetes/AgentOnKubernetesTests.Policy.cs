using System.Globalization;
using System.Text.Json;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// Issue 16 on the kubernetes datastore: the policies are the API's objects (a
/// networking.k8s.io NetworkPolicy and a routednet.io GlobalNetworkPolicy written as kubectl
/// writes them), the pods are Pods; the agent with nothing but the chart's RBAC enforces them for
/// its pods against pods on its own node and on the other node (whose addresses it knows from
/// their Pods' status), and follows a remote pod's label change.
/// </summary>
public sealed partial class AgentOnKubernetesTests
{
    private static bool Pings(NetNs from, string to) => RoutedNet.Integration.Policy.PolicyNode.Pings(from, to);

    /// <summary>Writes <paramref name="json"/> to <paramref name="path"/> and waits until <paramref name="node"/> enforces the write's resourceVersion.</summary>
    private async Task SendEnforcedAsync(NodeAgentScope node, HttpMethod method, string path, string? json = null)
    {
        var written = await _admin.SendAsync(method, path, json, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
        await WaitEnforcedAsync(node, Revision(written), $"{method} {path}");
    }

    /// <summary>
    /// Deletes a GlobalNetworkPolicy and waits until <paramref name="node"/> enforces it gone. A
    /// DELETE answers with the object as it last was, so the wait is on a marker written after it
    /// into the same kind: the agent sees one kind's changes in order, and each kind by its own
    /// watch, so a marker of another kind could be seen before the delete.
    /// </summary>
    private async Task DeleteGlobalPolicyEnforcedAsync(NodeAgentScope node, string name)
    {
        await _admin.SendAsync(HttpMethod.Delete, $"/apis/routednet.io/v1/globalnetworkpolicies/{name}");
        var marker = await _admin.SendAsync(HttpMethod.Post, "/apis/routednet.io/v1/globalnetworkpolicies", $$$"""
            {"apiVersion":"routednet.io/v1","kind":"GlobalNetworkPolicy","metadata":{"name":"marker-{{{Guid.NewGuid():N}}}"},"spec":{"selector":"marker == 'selects-nothing'"}}
            """);
        await WaitEnforcedAsync(node, Revision(marker), $"the delete of GlobalNetworkPolicy {name}");
    }

    private static long Revision(JsonElement written) =>
        long.Parse(written.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, CultureInfo.InvariantCulture);

    private static Task WaitEnforcedAsync(NodeAgentScope node, long revision, string what) =>
        Eventually.Until(
            async () => (await node.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest())).EnforcedRevision >= revision,
            $"{node.NodeName} to enforce revision {revision} ({what})");

    [Fact]
    public async Task Policies_FromTheApi_EnforcedAgainstLocalAndRemotePods_RemoteLabelChangeFollowed()
    {
        var web = await StartPodAsync(_n1, "web-0", new() { ["app"] = "web" });
        await StartPodAsync(_n1, "client-0", new() { ["app"] = "client" });
        var client0 = _pods[^1];
        await StartPodAsync(_n2, "client-1", new() { ["app"] = "client" });
        var client1 = _pods[^1];
        await StartPodAsync(_n2, "other-1", new() { ["app"] = "other" });
        var other1 = _pods[^1];
        // Proxy ARP answers the pods' gateway only where the node has a route to it.
        _n1.Ns.Check("ip", "route", "add", "default", "dev", "eth0");
        _n2.Ns.Check("ip", "route", "add", "default", "dev", "eth0");
        foreach (var (pod, name) in new[] { (client0, "client-0"), (client1, "client-1"), (other1, "other-1") })
        {
            await Eventually.Until(() => Pings(pod, web), $"{name} to reach web-0 ({web}) before any policy");
        }

        // A Kubernetes NetworkPolicy: web-0 takes ingress only from app=client pods of its namespace.
        await SendEnforcedAsync(_n1, HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{PodNamespace}/networkpolicies", """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web-from-clients"},
             "spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"client"}}}]}]}}
            """);
        Assert.True(Pings(client0, web), "client-0 (same node) refused");
        Assert.True(Pings(client1, web), "client-1 (other node) refused: its address is not in the selector's set");
        Assert.False(Pings(other1, web), "other-1 (app=other) reached web-0 through the policy");

        // The other node's pod relabelled: its address joins the set on n1.
        await SendEnforcedAsync(_n1, HttpMethod.Patch, $"/api/v1/namespaces/{PodNamespace}/pods/other-1", """{"metadata":{"labels":{"app":"client"}}}""");
        Assert.True(Pings(other1, web), "other-1, relabelled app=client, still refused");

        // A routednet.io GlobalNetworkPolicy (the chart's CRD) in the admin tier, ahead of the
        // Kubernetes policy: clients denied, everything else passed on to the next tier.
        await SendEnforcedAsync(_n1, HttpMethod.Post, "/apis/routednet.io/v1/globalnetworkpolicies", """
            {"apiVersion":"routednet.io/v1","kind":"GlobalNetworkPolicy","metadata":{"name":"quarantine-clients"},
             "spec":{"tier":"admin","selector":"app == 'web'","types":["Ingress"],"ingress":[{"action":"Deny","source":{"selector":"app == 'client'"}},{"action":"Pass"}]}}
            """);
        Assert.False(Pings(client0, web), "client-0 reached web-0 through an admin-tier Deny");
        Assert.False(Pings(client1, web), "client-1 reached web-0 through an admin-tier Deny");

        await DeleteGlobalPolicyEnforcedAsync(_n1, "quarantine-clients");
        Assert.True(Pings(client1, web), "client-1 still refused after the Deny's policy was deleted");

        var status = await _n1.Api.GetPolicyStatusAsync(new GetPolicyStatusRequest());
        Assert.Contains(status.ProgrammedEndpoints, e => e.StartsWith("rn", StringComparison.Ordinal));
        Assert.DoesNotContain("forbidden", _n1.Agent.Log(), StringComparison.OrdinalIgnoreCase);
    }
}
