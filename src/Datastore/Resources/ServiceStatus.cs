namespace RoutedNet.Datastore.Resources;

/// <summary>Kubernetes' ServiceStatus: what a load-balancer controller assigned.</summary>
public sealed record ServiceStatus
{
    public ServiceLoadBalancerStatus? LoadBalancer { get; init; }
}
