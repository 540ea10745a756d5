using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>One pod attachment recorded by the CNI plugin; the node agent reconciles routes from these.</summary>
public sealed record WorkloadEndpoint : Resource, IResourceKind<WorkloadEndpoint>
{
    public static string KindName => "WorkloadEndpoint";

    public static JsonTypeInfo<WorkloadEndpoint> JsonTypeInfo => DatastoreJsonContext.Default.WorkloadEndpoint;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public WorkloadEndpointSpec Spec { get; init => field = value ?? new(); } = new();
}
