using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>Cluster-wide (name <c>default</c>) or per-node (name <c>node.NAME</c>) BGP settings.</summary>
public sealed record BGPConfiguration : Resource, IResourceKind<BGPConfiguration>
{
    public static string KindName => "BGPConfiguration";

    public static JsonTypeInfo<BGPConfiguration> JsonTypeInfo => DatastoreJsonContext.Default.BGPConfiguration;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public BGPConfigurationSpec Spec { get; init => field = value ?? new(); } = new();
}
