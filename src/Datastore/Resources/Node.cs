using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>A cluster node as the BGP speaker and IPAM see it; selectors match its metadata labels.</summary>
public sealed record Node : Resource, IResourceKind<Node>
{
    public static string KindName => "Node";

    public static JsonTypeInfo<Node> JsonTypeInfo => DatastoreJsonContext.Default.Node;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public NodeSpec Spec { get; init => field = value ?? new(); } = new();
}
