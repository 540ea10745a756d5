namespace RoutedNet.Datastore.Resources;

/// <summary>networking.k8s.io/v1 NetworkPolicyIngressRule: from any of the peers (none: anyone) to any of the ports (none: every port).</summary>
public sealed record KubernetesIngressRule
{
    public IReadOnlyList<KubernetesPeer>? From { get; init; }

    public IReadOnlyList<KubernetesPort>? Ports { get; init; }
}
