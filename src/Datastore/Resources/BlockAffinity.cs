using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>A node's claim on a block (pending, then confirmed), written by IPAM with CAS.</summary>
public sealed record BlockAffinity : Resource, IResourceKind<BlockAffinity>
{
    public static string KindName => "BlockAffinity";

    public static JsonTypeInfo<BlockAffinity> JsonTypeInfo => DatastoreJsonContext.Default.BlockAffinity;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public BlockAffinitySpec Spec { get; init => field = value ?? new(); } = new();
}
