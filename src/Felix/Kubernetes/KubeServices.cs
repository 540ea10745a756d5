using System.Text.Json;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// Core Services and discovery.k8s.io/v1 EndpointSlices as the API server sends them, read with the
/// routednet.io <see cref="Service"/>'s contract: a core Service's spec and status fields have the
/// same names (ports, selectors and the rest are skipped), and an EndpointSlice's metadata and
/// endpoints are that record's metadata and endpoints.
/// </summary>
public static class KubeServices
{
    public static Service Read(JsonElement json)
    {
        var service = json.Deserialize(Service.JsonTypeInfo) ?? new Service();
        // Ports, selector and the rest announce nothing: not kept for every Service of the cluster.
        return service.Spec.Kubernetes is null ? service : service with { Spec = service.Spec with { Kubernetes = null } };
    }
}
