using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Reconcilers.Policy;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The pods of this node as the policy calculation sees them: every WorkloadEndpoint of the node
/// with a workload host interface, and every attachment record of the CNI plugin that no
/// WorkloadEndpoint covers (pods wired without a datastore must keep passing traffic, as they did
/// before policy existed: they get their chains and map entries too).
/// </summary>
public static class PolicyEndpoints
{
    public static IReadOnlyList<LocalEndpoint> Local(ClusterView view, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(view);
        var endpoints = new Dictionary<string, LocalEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in view.WorkloadEndpoints.Items.Values.Where(e => e.Spec.Node == nodeName).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (!WorkloadEndpointSpec.IsWorkloadInterface(endpoint.Spec.HostInterface))
            {
                continue;
            }
            var addresses = endpoint.Spec.IPNetworks
                .Select(n => IPNetwork.TryParse(n, out var network) ? network.BaseAddress : null)
                .OfType<IPAddress>()
                .ToList();
            endpoints[endpoint.Spec.HostInterface!] = new LocalEndpoint(endpoint.Spec.HostInterface!, endpoint.Spec.ContainerID, addresses, endpoint.Name);
        }
        foreach (var attachment in view.LocalAttachments)
        {
            if (!endpoints.ContainsKey(attachment.HostInterface) && WorkloadEndpointSpec.IsWorkloadInterface(attachment.HostInterface))
            {
                endpoints[attachment.HostInterface] = new LocalEndpoint(attachment.HostInterface, attachment.ContainerId, attachment.Addresses.Select(a => a.BaseAddress).ToList(), null);
            }
        }
        return endpoints.Values.ToList();
    }
}
