namespace RoutedNet.Datastore.Resources;

/// <summary>
/// networking.k8s.io/v1 NetworkPolicyPeer: pods (podSelector in the policy's namespace, or in the
/// namespaces namespaceSelector picks when both are given), or an ipBlock.
/// </summary>
public sealed record KubernetesPeer
{
    public LabelSelector? PodSelector { get; init; }

    public LabelSelector? NamespaceSelector { get; init; }

    public KubernetesIPBlock? IpBlock { get; init; }
}
