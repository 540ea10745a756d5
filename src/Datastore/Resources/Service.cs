using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A Service as the agent needs it to announce its addresses over BGP (issue 17), for the sqlite
/// and etcd datastores: the fields of Kubernetes' core Service that matter (<see cref="Spec"/>,
/// <see cref="Status"/>, same names) and, in <see cref="Endpoints"/>, its EndpointSlices' endpoints
/// (discovery.k8s.io/v1 names: addresses, nodeName, conditions). With the kubernetes datastore the
/// agent reads the core Service and its EndpointSlices instead and joins them into this shape.
/// Namespaced, as in Kubernetes.
/// </summary>
public sealed record Service : Resource, IResourceKind<Service>
{
    public static string KindName => "Service";

    public static JsonTypeInfo<Service> JsonTypeInfo => DatastoreJsonContext.Default.Service;

    public static bool IsNamespaced => true;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public ServiceSpec Spec { get; init => field = value ?? new(); } = new();

    public ServiceStatus Status { get; init => field = value ?? new(); } = new();

    /// <summary>The endpoints of the Service's EndpointSlices (label kubernetes.io/service-name).</summary>
    public IReadOnlyList<ServiceEndpoint> Endpoints { get; init => field = value ?? []; } = [];
}
