namespace RoutedNet.Datastore.Resources;

/// <summary>One of Kubernetes' LoadBalancerIngress entries; only <see cref="Ip"/> is announced (a hostname is not an address).</summary>
public sealed record LoadBalancerIngress
{
    public string? Ip { get; init; }

    public string? Hostname { get; init; }
}
