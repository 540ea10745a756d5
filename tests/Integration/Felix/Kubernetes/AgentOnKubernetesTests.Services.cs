using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// Services over BGP on the kubernetes datastore (issue 17): the agents read the core Service and
/// its discovery.k8s.io/v1 EndpointSlice with the chart's RBAC, announce the LB range from both
/// nodes (blackholed in each kernel) and the externalTrafficPolicy Local VIP only from the node
/// with the ready endpoint, until the slice says it is not ready.
/// </summary>
public sealed partial class AgentOnKubernetesTests
{
    private const string LbRange = "198.51.100.0/24";
    private const string Vip = "198.51.100.7/32";

    [Fact]
    public async Task CoreServiceAndEndpointSlice_LocalVipFromTheEndpointsNodeOnly_WithdrawnWhenNotReady()
    {
        await _store.CreateAsync(new BGPConfiguration { Metadata = new ObjectMeta { Name = "default" }, Spec = new BGPConfigurationSpec { ServiceLoadBalancerIPs = [new(LbRange)] } });
        await _admin.CreateAsync($"/api/v1/namespaces/{PodNamespace}/services", $$$"""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"{{{PodNamespace}}}"},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"externalTrafficPolicy":"Local","selector":{"app":"web"},
                     "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080}]}}
            """);
        // A load-balancer controller writes the ingress through the status subresource (a create's status is dropped).
        await _admin.MergePatchAsync($"/api/v1/namespaces/{PodNamespace}/services/web/status", """{"status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.7"}]}}}""");
        await _admin.CreateAsync($"/apis/discovery.k8s.io/v1/namespaces/{PodNamespace}/endpointslices", Slice(ready: true));

        await Eventually.Until(async () => (await ReasonsAsync(_n1, Vip)).Any(r => r.Contains("ready endpoint 10.244.0.5 on this node", StringComparison.Ordinal)), "n1 to announce the Local VIP for its ready endpoint");
        foreach (var (node, name) in new[] { (_n1, "n1"), (_n2, "n2") })
        {
            await Eventually.Until(async () => (await ReasonsAsync(node, LbRange)).Count == 1, $"{name} to announce {LbRange}");
            await Eventually.Until(() => node.Routes().Any(r => r.StartsWith($"blackhole {LbRange}", StringComparison.Ordinal)), $"{name} to blackhole {LbRange}");
        }
        Assert.Empty(await ReasonsAsync(_n2, Vip));

        await _admin.SendAsync(HttpMethod.Put, $"/apis/discovery.k8s.io/v1/namespaces/{PodNamespace}/endpointslices/web-abcde", Slice(ready: false));

        await Eventually.Until(async () => (await ReasonsAsync(_n1, Vip)).Count == 0, "n1 to withdraw the VIP once its endpoint is not ready");
    }

    private static string Slice(bool ready) => $$$"""
        {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
         "metadata":{"name":"web-abcde","namespace":"{{{PodNamespace}}}","labels":{"kubernetes.io/service-name":"web","endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}},
         "addressType":"IPv4",
         "endpoints":[{"addresses":["10.244.0.5"],"nodeName":"n1","conditions":{"ready":{{{(ready ? "true" : "false")}}},"serving":true,"terminating":{{{(ready ? "false" : "true")}}}}}],
         "ports":[{"name":"http","protocol":"TCP","port":8080}]}
        """;

    private static async Task<IReadOnlyList<string>> ReasonsAsync(NodeAgentScope node, string prefix) =>
        [.. (await node.Api.ListAdvertisedAsync(new ListAdvertisedRequest { Prefix = prefix })).Prefixes.SelectMany(p => p.Reasons)];
}
