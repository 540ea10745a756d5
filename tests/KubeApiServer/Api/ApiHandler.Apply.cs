using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Patching;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    /// <summary>
    /// Server-side apply (application/apply-patch+yaml, as helm 4 and kubectl apply --server-side
    /// send it): creates the object when missing, else merges the applied configuration into it
    /// with field ownership and conflicts (<see cref="ServerSideApply"/>); fieldManager is required.
    /// </summary>
    private (int, JsonObject) Apply(ResourceType type, ApiPath path, JsonObject applied, IQueryCollection query)
    {
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            throw Status.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }
        var appliedName = ObjectRules.Name(applied);
        if (appliedName is not null && appliedName != path.Name)
        {
            throw Status.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({path.Name})");
        }
        ObjectRules.Metadata(applied)["name"] = path.Name;
        lock (Store.Gate)
        {
            var current = Store.Peek(type, ObjectStore.KeyOf(path.Namespace, path.Name!));
            if (current is null)
            {
                if (path.Subresource is not null)
                {
                    throw Status.NotFound(type, path.Name!);
                }
                return (201, Create(type, path, (JsonObject)applied.DeepClone(), query, manager));
            }
            var force = query["force"].ToString() == "true";
            var merged = ServerSideApply.Merge(current, applied, manager, force, path.Subresource, type.HasStatus,
                type.ApiVersion, ObjectRules.Timestamp(_state.Time.GetUtcNow()), type.Key, path.Name!);
            // The apply carries no resourceVersion precondition unless the applied object sets one.
            ObjectRules.Metadata(merged)["resourceVersion"] = applied["metadata"]?["resourceVersion"]?.DeepClone() ?? current["metadata"]!["resourceVersion"]!.DeepClone();
            return Replace(type, path, current, merged, query, manager);
        }
    }
}
