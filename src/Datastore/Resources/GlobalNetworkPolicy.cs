using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A cluster-wide policy in Calico's v3 shape: it selects endpoints in every namespace (narrowed by
/// spec.namespaceSelector), and a rule's selector without a namespaceSelector means every namespace.
/// </summary>
public sealed record GlobalNetworkPolicy : Resource, IResourceKind<GlobalNetworkPolicy>
{
    public static string KindName => "GlobalNetworkPolicy";

    public static JsonTypeInfo<GlobalNetworkPolicy> JsonTypeInfo => DatastoreJsonContext.Default.GlobalNetworkPolicy;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public PolicySpec Spec { get; init => field = value ?? new(); } = new();
}
