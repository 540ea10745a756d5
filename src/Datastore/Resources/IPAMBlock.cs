using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>One block of a pool (e.g. a /24) with its per-address allocation state; the IPAM library owns its logic.</summary>
public sealed record IPAMBlock : Resource, IResourceKind<IPAMBlock>
{
    public static string KindName => "IPAMBlock";

    public static JsonTypeInfo<IPAMBlock> JsonTypeInfo => DatastoreJsonContext.Default.IPAMBlock;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public IPAMBlockSpec Spec { get; init => field = value ?? new(); } = new();
}
