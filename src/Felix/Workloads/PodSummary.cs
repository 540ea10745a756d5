namespace RoutedNet.Felix.Workloads;

/// <summary>
/// What the agent keeps of a Pod on its node (kubernetes datastore): enough to find the pod's
/// attachment and to give its WorkloadEndpoint what policy selects on (labels, service account,
/// named container ports). Built from the API's
/// Pod by <see cref="RoutedNet.Felix.Kubernetes.PodSummaries"/>; a plain record so that the join
/// is tested without an API server. <see cref="Finished"/>: phase Succeeded or Failed, whose
/// sandbox is gone and whose status IPs may already belong to a new pod.
/// </summary>
public sealed record PodSummary(
    string Namespace,
    string Name,
    string? NodeName,
    bool HostNetwork,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> PodIPs,
    string? ServiceAccount = null,
    IReadOnlyList<RoutedNet.Datastore.Resources.EndpointPort>? Ports = null,
    bool Finished = false)
{
    /// <summary>NAMESPACE/NAME, the key of the agent's pod table.</summary>
    public string Key => $"{Namespace}/{Name}";
}
