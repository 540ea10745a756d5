using System.Net;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>The datastore's WorkloadEndpoints as the model's endpoints and namespaces.</summary>
public static class WorkloadEndpoints
{
    /// <summary>
    /// One endpoint per pod (NAMESPACE/POD): a pod with several interfaces is one endpoint with every
    /// address; labels are the endpoints' metadata.labels, ports their named container ports.
    /// </summary>
    public static IReadOnlyList<PolicyEndpoint> ToPolicyEndpoints(IEnumerable<WorkloadEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var result = new List<PolicyEndpoint>();
        foreach (var pod in endpoints.Where(e => e.Spec.Pod.Length > 0 && e.Spec.Namespace.Length > 0).GroupBy(e => (e.Spec.Namespace, e.Spec.Pod)))
        {
            var first = pod.First();
            var addresses = pod.SelectMany(e => e.Spec.IPNetworks)
                .Select(n => Nets.TryParse(n, out var network) ? network.BaseAddress : null)
                .OfType<IPAddress>()
                .Distinct()
                .ToList();
            result.Add(new PolicyEndpoint(pod.Key.Namespace, pod.Key.Pod, first.Metadata.Labels, addresses, first.Spec.ServiceAccount, NamedPort.From(first.Spec.Ports), first.Spec.Node));
        }
        return result;
    }

    /// <summary>
    /// The namespaces' labels: the Namespace objects, and for a namespace that has none, the labels
    /// its endpoints carry (WorkloadEndpointSpec.NamespaceLabels), else none (the model adds the name label).
    /// </summary>
    public static IReadOnlyList<Namespace> Namespaces(IEnumerable<Namespace> namespaces, IEnumerable<WorkloadEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(endpoints);
        var result = namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Spec.Namespace.Length > 0 && endpoint.Spec.NamespaceLabels is { } labels && !result.ContainsKey(endpoint.Spec.Namespace))
            {
                var withName = new Dictionary<string, string>(labels, StringComparer.Ordinal) { [Namespace.NameLabel] = endpoint.Spec.Namespace };
                result[endpoint.Spec.Namespace] = new Namespace { Metadata = new ObjectMeta { Name = endpoint.Spec.Namespace, Labels = withName } };
            }
        }
        return [.. result.Values];
    }
}
