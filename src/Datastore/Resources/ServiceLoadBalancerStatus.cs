namespace RoutedNet.Datastore.Resources;

/// <summary>Kubernetes' LoadBalancerStatus: the ingress points of a LoadBalancer Service.</summary>
public sealed record ServiceLoadBalancerStatus
{
    public IReadOnlyList<LoadBalancerIngress> Ingress { get; init => field = value ?? []; } = [];
}
