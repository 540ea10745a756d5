using RoutedNet.Datastore.Resources;

namespace RoutedNet.Kubernetes.Pods;

/// <summary>
/// Pods as policy knows them where no attachment record is at hand (another node's pods in an
/// agent, every pod in `routednetctl policy explain`): a WorkloadEndpoint made from the Pod and
/// its status IPs, which kubelet copies from the CNI result. Never stored.
/// </summary>
public static class PodEndpoints
{
    /// <summary>
    /// A pod that holds addresses of its own: scheduled, given IPs, not on the host's network
    /// (those are the node's addresses) and not finished (a Succeeded or Failed pod's addresses
    /// went back to IPAM and may already be another pod's).
    /// </summary>
    public static bool HasOwnAddresses(PodSummary pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.NodeName is not null && !pod.HostNetwork && !pod.Finished && pod.PodIPs.Count > 0;
    }

    /// <summary>The pod's endpoint, named "pod:NAMESPACE/NAME" (apart from the agents' NETWORK.CONTAINER.IFNAME names).</summary>
    public static WorkloadEndpoint FromStatus(PodSummary pod, IReadOnlyDictionary<string, string>? namespaceLabels = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "pod:" + pod.Key, Labels = pod.Labels },
            Spec = new WorkloadEndpointSpec
            {
                Pod = pod.Name,
                Namespace = pod.Namespace,
                Node = pod.NodeName ?? "",
                IPNetworks = pod.PodIPs.Select(ip => ip.Contains(':', StringComparison.Ordinal) ? ip + "/128" : ip + "/32").ToArray(),
                NamespaceLabels = namespaceLabels,
                ServiceAccount = pod.ServiceAccount,
                Ports = pod.Ports,
            },
        };
    }
}
