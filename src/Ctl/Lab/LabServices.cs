using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// `lab add-service` / `lab del-service`: a routednet.io Service in the lab's datastore with the lab's
/// pods as its endpoints (all ready; change readiness or move endpoints with `routednetctl apply` of
/// the same Service). Nothing is proxied: the nodes only announce the VIP over BGP as
/// BGPConfiguration's service lists allow (issue 17).
/// </summary>
internal static class LabServices
{
    public static Service Build(LabState state, string name, string type, string policy, string vip, IReadOnlyList<string> endpoints)
    {
        var (ns, bare) = Split(name);
        if (type is not (ServiceSpec.TypeClusterIP or ServiceSpec.TypeLoadBalancer))
        {
            throw new CtlException($"--type \"{type}\" must be {ServiceSpec.TypeClusterIP} or {ServiceSpec.TypeLoadBalancer}");
        }
        if (policy is not (ServiceSpec.PolicyLocal or ServiceSpec.PolicyCluster))
        {
            throw new CtlException($"--external-traffic-policy \"{policy}\" must be {ServiceSpec.PolicyLocal} or {ServiceSpec.PolicyCluster}");
        }
        if (!IPAddress.TryParse(vip, out var address) || vip.Contains('/', StringComparison.Ordinal))
        {
            throw new CtlException($"--ip \"{vip}\" is not an IP address");
        }
        var pods = endpoints.Select(p => Lab.Pod(state, p)).ToList();
        var loadBalancer = type == ServiceSpec.TypeLoadBalancer;
        return new Service
        {
            Metadata = new ObjectMeta { Name = bare, Namespace = ns },
            Spec = new ServiceSpec
            {
                Type = type,
                // A LoadBalancer Service's VIP is its ingress IP (the lab has no cluster IP range to take one from).
                ClusterIP = loadBalancer ? null : address.ToString(),
                ExternalTrafficPolicy = policy,
            },
            Status = loadBalancer
                ? new ServiceStatus { LoadBalancer = new ServiceLoadBalancerStatus { Ingress = [new LoadBalancerIngress { Ip = address.ToString() }] } }
                : new ServiceStatus(),
            Endpoints = pods.Select(p => new ServiceEndpoint
            {
                Addresses = p.Addresses,
                NodeName = p.Node,
                Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
            }).ToList(),
        };
    }

    public static async Task AddAsync(LabState state, Service service, TextWriter output, CancellationToken cancellationToken)
    {
        var store = await StoreFactory.OpenAsync(DatastoreUrl.Resolve(state.Datastore), cancellationToken).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            try
            {
                await store.CreateAsync(service, cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceAlreadyExistsException)
            {
                throw new CtlException(CtlExitCode.Problem, $"service {service.Metadata.Namespace}/{service.Name} already exists (lab del-service it first, or routednetctl apply a changed one)");
            }
        }
        var vip = service.Spec.ClusterIP ?? service.Status.LoadBalancer?.Ingress[0].Ip;
        output.WriteLine($"service  {service.Metadata.Namespace}/{service.Name} {service.Spec.Type} {vip} externalTrafficPolicy {service.Spec.ExternalTrafficPolicy}: "
            + (service.Endpoints.Count == 0 ? "no endpoints" : string.Join(", ", service.Endpoints.Select(e => $"{string.Join("/", e.Addresses)} on {e.NodeName}"))));
    }

    public static async Task DelAsync(LabState state, string name, TextWriter output, CancellationToken cancellationToken)
    {
        var (ns, bare) = Split(name);
        var store = await StoreFactory.OpenAsync(DatastoreUrl.Resolve(state.Datastore), cancellationToken).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            try
            {
                await store.DeleteAsync<Service>(StoreKeys.Namespaced(ns, bare), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException)
            {
                throw new CtlException(CtlExitCode.Problem, $"no service {ns}/{bare} in the lab");
            }
        }
        output.WriteLine($"service {ns}/{bare} deleted");
    }

    // NAME in the lab's namespace, or NAMESPACE/NAME as `lab status` and policies name pods.
    private static (string Namespace, string Name) Split(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (LabPod.DefaultPodNamespace, name) : (name[..slash], name[(slash + 1)..]);
    }
}
