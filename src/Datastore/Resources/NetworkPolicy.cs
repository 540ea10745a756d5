using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A namespaced policy in Calico's v3 shape (tiers, order, Allow/Deny/Pass/Log rules): it selects
/// endpoints of its own namespace only, and a rule's selector without a namespaceSelector means its
/// own namespace too. Stored under the key "NAMESPACE/NAME".
/// </summary>
public sealed record NetworkPolicy : Resource, IResourceKind<NetworkPolicy>
{
    public static string KindName => "NetworkPolicy";

    public static JsonTypeInfo<NetworkPolicy> JsonTypeInfo => DatastoreJsonContext.Default.NetworkPolicy;

    public static bool IsNamespaced => true;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public PolicySpec Spec { get; init => field = value ?? new(); } = new();
}
