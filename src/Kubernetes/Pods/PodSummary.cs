namespace RoutedNet.Kubernetes.Pods;

/// <summary>
/// What RoutedNet keeps of a Pod (kubernetes datastore): enough for an agent to find the pod's
/// attachment on its node and for policy to know who the pod is (labels, service account, named
/// container ports, status IPs). Built from the API's Pod by <see cref="PodSummaries"/>; a plain
/// record so that what is made of it is tested without an API server. <see cref="Finished"/>: phase Succeeded or Failed, whose
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
