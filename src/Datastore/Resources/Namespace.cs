using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A namespace and its labels, which policies' namespaceSelectors match (sqlite and etcd; with the
/// kubernetes datastore the core Namespace). Cluster-scoped. The store adds the label
/// <see cref="NameLabel"/> = NAME on every write, as the API server does.
/// </summary>
public sealed record Namespace : Resource, IResourceKind<Namespace>
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    public static string KindName => "Namespace";

    public static JsonTypeInfo<Namespace> JsonTypeInfo => DatastoreJsonContext.Default.Namespace;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;
}
