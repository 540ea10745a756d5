using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>All addresses of one attachment (one handle id), so that they are released together.</summary>
public sealed record IPAMHandle : Resource, IResourceKind<IPAMHandle>
{
    public static string KindName => "IPAMHandle";

    public static JsonTypeInfo<IPAMHandle> JsonTypeInfo => DatastoreJsonContext.Default.IPAMHandle;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public IPAMHandleSpec Spec { get; init => field = value ?? new(); } = new();
}
