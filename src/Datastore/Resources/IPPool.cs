using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>A cluster-wide range that IPAM carves into per-node blocks.</summary>
public sealed record IPPool : Resource, IResourceKind<IPPool>
{
    public static string KindName => "IPPool";

    public static JsonTypeInfo<IPPool> JsonTypeInfo => DatastoreJsonContext.Default.IPPool;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public IPPoolSpec Spec { get; init => field = value ?? new(); } = new();
}
