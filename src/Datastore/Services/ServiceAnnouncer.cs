using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Services;

/// <summary>
/// Which Service prefixes this node announces over BGP, Calico's semantics (one pure function: the
/// agent, `routednetctl bgp advertised` and the tests all ask it):
/// <list type="bullet">
/// <item>every eligible node announces each range of BGPConfiguration's serviceClusterIPs,
/// serviceExternalIPs and serviceLoadBalancerIPs, and blackholes it locally (so traffic for a VIP
/// nobody serves dies here instead of looping back to the router over a default route);</item>
/// <item>a Service with <c>externalTrafficPolicy: Local</c> adds a /32 (/128) for each of its
/// cluster IPs, external IPs and load-balancer IPs that lies inside the matching list, only from
/// nodes with a ready endpoint of that family (Calico decides the cluster IP by the external
/// policy too, not by internalTrafficPolicy as Cilium does; so do we); an endpoint that is not
/// ready (terminating) no longer counts, so the /32 goes before the pod does;</item>
/// <item>with <c>serviceLoadBalancerAggregation: Disabled</c> a Cluster-policy load-balancer IP
/// is also announced as a /32 from every eligible node while the Service has a ready endpoint;</item>
/// <item>a node labelled <see cref="ExcludeLabel"/> (any value, as Kubernetes' service controller
/// reads it) announces no external or load-balancer prefix; cluster IPs stay.</item>
/// </list>
/// An address outside every range is never announced, whatever the Service says.
/// </summary>
public static class ServiceAnnouncer
{
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    public static ServiceAnnouncements Compute(BGPConfigurationSpec? config, Node? me, string nodeName, IEnumerable<Service> services)
    {
        if (config is null)
        {
            return ServiceAnnouncements.None;
        }
        var excluded = me?.Metadata.Labels?.ContainsKey(ExcludeLabel) == true;
        var clusterRanges = Ranges(config.ServiceClusterIPs);
        var externalRanges = excluded ? [] : Ranges(config.ServiceExternalIPs);
        var lbRanges = excluded ? [] : Ranges(config.ServiceLoadBalancerIPs);
        var prefixes = new Dictionary<IPNetwork, List<string>>();
        void Add(IPNetwork prefix, string reason)
        {
            if (!prefixes.TryGetValue(prefix, out var reasons))
            {
                prefixes[prefix] = reasons = [];
            }
            if (!reasons.Contains(reason))
            {
                reasons.Add(reason);
            }
        }
        foreach (var (list, ranges) in new[] { ("serviceClusterIPs", clusterRanges), ("serviceExternalIPs", externalRanges), ("serviceLoadBalancerIPs", lbRanges) })
        {
            foreach (var range in ranges)
            {
                Add(range, $"BGPConfiguration {list} range (every eligible node; blackholed here)");
            }
        }
        var disaggregated = config.ServiceLoadBalancerAggregation == BGPConfigurationSpec.AggregationDisabled;
        foreach (var service in services.OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            if (service.Spec.Type == ServiceSpec.TypeExternalName)
            {
                continue;
            }
            var id = $"Service {service.Metadata.Namespace}/{service.Name}";
            var local = service.Spec.ExternalTrafficPolicy == ServiceSpec.PolicyLocal;
            var ingress = service.Status.LoadBalancer?.Ingress.Select(i => i.Ip).OfType<string>() ?? [];
            var candidates = service.Spec.AllClusterIPs().Select(ip => (ip, clusterRanges, "cluster IP", false))
                .Concat((service.Spec.ExternalIPs ?? []).Select(ip => (ip, externalRanges, "external IP", false)))
                .Concat(ingress.Select(ip => (ip, lbRanges, "load-balancer IP", true)));
            foreach (var (text, ranges, what, isLoadBalancer) in candidates)
            {
                if (!IPAddress.TryParse(text, out var address) || !ranges.Any(r => r.Contains(address)))
                {
                    continue;
                }
                var host = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
                if (local)
                {
                    if (ReadyLocalEndpoint(service, nodeName, address.AddressFamily) is { } endpoint)
                    {
                        Add(host, $"{id} {what}, externalTrafficPolicy Local: ready endpoint {endpoint} on this node");
                    }
                }
                else if (isLoadBalancer && disaggregated && service.Endpoints.Any(e => e.IsReady))
                {
                    Add(host, $"{id} {what}, externalTrafficPolicy Cluster, serviceLoadBalancerAggregation Disabled: the Service has a ready endpoint");
                }
            }
        }
        return new ServiceAnnouncements(
            prefixes.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
            clusterRanges.Concat(externalRanges).Concat(lbRanges).Distinct().ToList())
        {
            Configured = clusterRanges.Concat(Ranges(config.ServiceExternalIPs)).Concat(Ranges(config.ServiceLoadBalancerIPs)).Distinct().ToList(),
        };
    }

    private static string? ReadyLocalEndpoint(Service service, string nodeName, AddressFamily family) =>
        service.Endpoints
            .Where(e => e.IsReady && e.NodeName == nodeName)
            .SelectMany(e => e.Addresses)
            .FirstOrDefault(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == family);

    // Validated when written; one that is not a network anyway (an older store) is skipped.
    private static List<IPNetwork> Ranges(IReadOnlyList<ServiceCidr>? list) =>
        (list ?? []).Select(r => IPNetwork.TryParse(r.Cidr, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>().ToList();
}
