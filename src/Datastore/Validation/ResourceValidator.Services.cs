using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Validation;

// Services (issue 17): what the agent announces must parse, so a typo is refused at write rather
// than skipped on every node; values Kubernetes would refuse are refused here too.
internal static partial class ResourceValidator
{
    private static void ServiceRanges(string field, IReadOnlyList<ServiceCidr>? ranges)
    {
        foreach (var range in ranges ?? [])
        {
            Cidr.ParseNetwork($"{field}[].cidr", range.Cidr);
        }
    }

    private static void ValidateService(Service service)
    {
        var spec = service.Spec;
        if (spec.Type is { } type)
        {
            OneOf("spec.type", type, ServiceSpec.TypeClusterIP, ServiceSpec.TypeNodePort, ServiceSpec.TypeLoadBalancer, ServiceSpec.TypeExternalName);
        }
        if (spec.ExternalTrafficPolicy is { } policy)
        {
            OneOf("spec.externalTrafficPolicy", policy, ServiceSpec.PolicyCluster, ServiceSpec.PolicyLocal);
        }
        if (spec.ClusterIP is { } clusterIP && clusterIP != ServiceSpec.ClusterIPNone)
        {
            ServiceAddress("spec.clusterIP", clusterIP);
        }
        foreach (var ip in spec.ClusterIPs ?? [])
        {
            if (ip != ServiceSpec.ClusterIPNone)
            {
                ServiceAddress("spec.clusterIPs", ip);
            }
        }
        foreach (var ip in spec.ExternalIPs ?? [])
        {
            ServiceAddress("spec.externalIPs", ip);
        }
        foreach (var ingress in service.Status.LoadBalancer?.Ingress ?? [])
        {
            if (ingress.Ip is { } ip)
            {
                ServiceAddress("status.loadBalancer.ingress[].ip", ip);
            }
        }
        foreach (var endpoint in service.Endpoints)
        {
            foreach (var address in endpoint.Addresses)
            {
                ServiceAddress("endpoints[].addresses", address);
            }
        }
    }

    private static void ServiceAddress(string field, string text)
    {
        if (!Cidr.TryParseAddress(text, out _))
        {
            throw new ResourceValidationException($"{field}: \"{text}\" is not an IP address");
        }
    }
}
