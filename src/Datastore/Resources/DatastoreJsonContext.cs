using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// Source-generated JSON for every kind (NativeAOT: no reflection). camelCase names, nulls left
/// out, so stored objects read like the YAML an operator applies.
/// The generated reader passes every init-only property to the object initializer, null for one
/// the JSON leaves out, which overwrote the records' defaults: an IPAMConfig applied without
/// `spec`, or a BlockAffinity a kubectl user wrote without `state`, read as a null spec or state.
/// So each non-nullable property's init accessor takes null as its default
/// (<c>init => field = value ?? default</c>).
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
[JsonSerializable(typeof(EndpointPort))]
[JsonSerializable(typeof(BGPPeer))]
[JsonSerializable(typeof(BGPConfiguration))]
[JsonSerializable(typeof(BGPFilter))]
[JsonSerializable(typeof(NetworkPolicy))]
[JsonSerializable(typeof(GlobalNetworkPolicy))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubernetesNetworkPolicy))]
[JsonSerializable(typeof(Service))]
public sealed partial class DatastoreJsonContext : JsonSerializerContext;
