using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>
/// One policy in the routednet shape the model evaluates: a NetworkPolicy (<see cref="Namespace"/>
/// set), a GlobalNetworkPolicy (null namespace), or a Kubernetes NetworkPolicy after
/// <see cref="KubernetesPolicyConversion"/> (a NetworkPolicy named knp.default.NAME).
/// </summary>
public sealed record PolicyDefinition(string? Namespace, string Name, PolicySpec Spec)
{
    /// <summary>"NAMESPACE/NAME" for a namespaced policy, NAME for a global one: what explain, traces and metrics print.</summary>
    public string Id => Namespace is null ? Name : Namespace + "/" + Name;

    public static PolicyDefinition From(NetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(policy.Metadata.Namespace ?? "default", policy.Name, policy.Spec);
    }

    public static PolicyDefinition From(GlobalNetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(null, policy.Name, policy.Spec);
    }

    public static PolicyDefinition From(KubernetesNetworkPolicy policy) => From(KubernetesPolicyConversion.Convert(policy));
}
