namespace RoutedNet.Datastore.Resources;

/// <summary>networking.k8s.io/v1 NetworkPolicySpec.</summary>
public sealed record KubernetesNetworkPolicySpec
{
    /// <summary>The pods of the policy's namespace it applies to; empty selects all of them.</summary>
    public LabelSelector PodSelector { get; init => field = value ?? new(); } = new();

    /// <summary>Ingress and/or Egress; null: Ingress, plus Egress when egress rules are given.</summary>
    public IReadOnlyList<string>? PolicyTypes { get; init; }

    public IReadOnlyList<KubernetesIngressRule>? Ingress { get; init; }

    public IReadOnlyList<KubernetesEgressRule>? Egress { get; init; }
}
