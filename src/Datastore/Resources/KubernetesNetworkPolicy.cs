using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A Kubernetes <c>networking.k8s.io/v1</c> NetworkPolicy, kept in the API's own shape so the YAML a
/// user applies with kubectl works unchanged in every datastore. Its store kind is
/// "KubernetesNetworkPolicy" (the routednet.io NetworkPolicy owns "NetworkPolicy"); the policy
/// model converts it as Calico does (tier default, order 1000, Allow rules only).
/// </summary>
public sealed record KubernetesNetworkPolicy : Resource, IResourceKind<KubernetesNetworkPolicy>
{
    public const string KubernetesApiVersion = "networking.k8s.io/v1";
    public const string KubernetesKind = "NetworkPolicy";

    public static string KindName => "KubernetesNetworkPolicy";

    public static JsonTypeInfo<KubernetesNetworkPolicy> JsonTypeInfo => DatastoreJsonContext.Default.KubernetesNetworkPolicy;

    public static bool IsNamespaced => true;

    [JsonPropertyOrder(-3)]
    public override string ApiVersion => KubernetesApiVersion;

    [JsonPropertyOrder(-2)]
    public override string Kind => KubernetesKind;

    public KubernetesNetworkPolicySpec Spec { get; init => field = value ?? new(); } = new();
}
