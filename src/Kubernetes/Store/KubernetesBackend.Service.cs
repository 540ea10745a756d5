using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// Services on the kubernetes datastore are the cluster's core Services (issue 17): read with the
/// endpoints of their discovery.k8s.io/v1 EndpointSlices joined in (label kubernetes.io/service-name),
/// as the agent joins them to decide what it announces; written as the core Service, whose spec
/// (ports, selector and the rest included) goes to the API server as written. Its endpoints are
/// never written: the cluster's EndpointSlice controller makes them from the selector. Its status
/// is the load-balancer controller's (its status subresource), left alone as kubectl apply leaves it.
/// </summary>
internal sealed partial class KubernetesBackend
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";

    private const string ServiceEndpointsNotWritten =
        "kubernetes: a Service's endpoints come from its EndpointSlices, which the cluster makes from spec.selector; apply it without \"endpoints\" (or with those `get` shows)";

    /// <summary><paramref name="entries"/> (core Services as entries) with their EndpointSlices' endpoints; one list of the slices for all.</summary>
    private async Task<List<StoredEntry>> WithEndpointsAsync(IReadOnlyList<(StoredEntry Entry, JsonElement Object)> services, string? ns, string? name, CancellationToken cancellationToken)
    {
        var query = name is null ? KubeQuery.All : new KubeQuery(LabelSelector: $"{ServiceNameLabel}={name}", Namespace: ns);
        var slices = await _api.ListAsync(KubeResource.EndpointSlices, query, cancellationToken).ConfigureAwait(false);
        var endpoints = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var slice in slices.Items)
        {
            var metadata = slice.GetProperty("metadata");
            if (CustomResources.Strings(metadata, "labels").GetValueOrDefault(ServiceNameLabel) is not { } service
                || !slice.TryGetProperty("endpoints", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            var key = StoreKeys.Namespaced(CustomResources.String(metadata, "namespace") ?? "", service);
            if (!endpoints.TryGetValue(key, out var all))
            {
                endpoints[key] = all = [];
            }
            foreach (var endpoint in list.EnumerateArray())
            {
                all.Add(JsonNode.Parse(endpoint.GetRawText()));
            }
        }
        return [.. services.Select(s => WithServiceParts(s.Entry, s.Object, endpoints.GetValueOrDefault(s.Entry.Name)))];
    }

    /// <summary>The entry with what <see cref="CustomResources.ToEntry"/> leaves out for a Service: its status, and its endpoints.</summary>
    private static StoredEntry WithServiceParts(StoredEntry entry, JsonElement obj, JsonArray? endpoints)
    {
        var value = JsonNode.Parse(entry.Value)!.AsObject();
        if (obj.TryGetProperty("status", out var status))
        {
            value["status"] = JsonNode.Parse(status.GetRawText());
        }
        if (endpoints is { Count: > 0 })
        {
            value["endpoints"] = endpoints;
        }
        return entry with { Value = Encoding.UTF8.GetBytes(value.ToJsonString()) };
    }

    /// <summary>
    /// Refuses a Service write whose endpoints are not the ones its EndpointSlices have now, which
    /// would otherwise be dropped unsaid; the same ones (a `get -o yaml` applied again) pass.
    /// </summary>
    private async Task CheckServiceEndpointsAsync(WriteOp op, CancellationToken cancellationToken)
    {
        var wanted = EndpointsOf(op.Value!);
        if (wanted == EndpointsOf([]))
        {
            return;
        }
        var current = op.Type == WriteOpType.Create ? null : await GetAsync(op.Kind, op.Name, cancellationToken).ConfigureAwait(false);
        if (current is null || EndpointsOf(current.Value) != wanted)
        {
            throw new NotSupportedException(ServiceEndpointsNotWritten);
        }
    }

    /// <summary>A stored Service's endpoints in the record's own form (so fields the record does not have, such as a slice's zone, do not count).</summary>
    private static string EndpointsOf(byte[] value)
    {
        var service = value.Length == 0 ? new Service() : JsonSerializer.Deserialize(value, Service.JsonTypeInfo) ?? new Service();
        return JsonSerializer.Serialize(new Service { Endpoints = service.Endpoints }, Service.JsonTypeInfo);
    }

    /// <summary>The core Service to send: without endpoints (the slices') and status (the load-balancer controller's).</summary>
    private static byte[] ServiceObject(byte[] body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        obj.Remove("endpoints");
        obj.Remove("status");
        return Encoding.UTF8.GetBytes(obj.ToJsonString());
    }
}
