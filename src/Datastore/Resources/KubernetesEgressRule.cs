namespace RoutedNet.Datastore.Resources;

/// <summary>networking.k8s.io/v1 NetworkPolicyEgressRule: to any of the peers (none: anyone) on any of the ports (none: every port).</summary>
public sealed record KubernetesEgressRule
{
    public IReadOnlyList<KubernetesPeer>? To { get; init; }

    public IReadOnlyList<KubernetesPort>? Ports { get; init; }
}
