using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;
using RoutedNet.Datastore.Tests.Crds;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// Validates a rendered object offline, unknown fields included (what `kubectl apply
/// --validate=strict` would refuse on a real cluster): built-in kinds by deserializing into the
/// Kubernetes API's own models (KubernetesClient 21, generated from the OpenAPI of Kubernetes
/// 1.34) with unmapped members disallowed, so a misspelt field, a wrong type or an object where a
/// list belongs is an error naming its path; our custom resources against their CRD's
/// openAPIV3Schema (charts/routednet/crds), as the API server validates them.
/// </summary>
public static class KubernetesSchemas
{
    private static readonly JsonSerializerOptions Strict = new()
    {
        TypeInfoResolver = new k8s.SourceGenerationContext(new JsonSerializerOptions()),
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Dictionary<(string ApiVersion, string Kind), Type> BuiltIns = new()
    {
        [("apps/v1", "DaemonSet")] = typeof(V1DaemonSet),
        [("batch/v1", "Job")] = typeof(V1Job),
        [("v1", "ConfigMap")] = typeof(V1ConfigMap),
        [("v1", "ServiceAccount")] = typeof(V1ServiceAccount),
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = typeof(V1ClusterRole),
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = typeof(V1ClusterRoleBinding),
        [("rbac.authorization.k8s.io/v1", "Role")] = typeof(V1Role),
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = typeof(V1RoleBinding),
    };

    private static readonly Dictionary<string, string> CustomResources = new(StringComparer.Ordinal)
    {
        ["IPPool"] = "ippools",
        ["BGPConfiguration"] = "bgpconfigurations",
        ["BGPPeer"] = "bgppeers",
        ["BGPFilter"] = "bgpfilters",
    };

    /// <summary>What is wrong with <paramref name="o"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(JsonObject o)
    {
        var apiVersion = (string?)o["apiVersion"] ?? "";
        var kind = (string?)o["kind"] ?? "";
        var what = $"{kind} {o["metadata"]?["name"]}";
        if (apiVersion == "routednet.io/v1" && CustomResources.TryGetValue(kind, out var plural))
        {
            return StructuralSchema.Validate(CrdFile.Load(plural).Schema, o).Select(e => $"{what}: {e}").ToList();
        }
        if (!BuiltIns.TryGetValue((apiVersion, kind), out var type))
        {
            return [$"{what}: {apiVersion} {kind} is not a kind this check knows; add its model"];
        }
        try
        {
            JsonSerializer.Deserialize(o.ToJsonString(), Strict.GetTypeInfo(type));
            return [];
        }
        catch (JsonException e)
        {
            return [$"{what}: {e.Message}"];
        }
    }
}
