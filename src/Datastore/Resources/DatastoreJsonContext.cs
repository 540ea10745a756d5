using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// Source-generated JSON for every kind (NativeAOT: no reflection). camelCase names, nulls left
/// out, so stored objects read like the YAML an operator applies.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(IPPool))]
[JsonSerializable(typeof(IPAMConfig))]
[JsonSerializable(typeof(IPAMBlock))]
[JsonSerializable(typeof(BlockAffinity))]
[JsonSerializable(typeof(IPAMHandle))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(WorkloadEndpoint))]
[JsonSerializable(typeof(BGPPeer))]
[JsonSerializable(typeof(BGPConfiguration))]
public sealed partial class DatastoreJsonContext : JsonSerializerContext;
