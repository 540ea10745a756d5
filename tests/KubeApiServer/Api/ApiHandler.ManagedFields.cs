using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Patching;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    // The caller's User-Agent, for the default field manager of updates (kube takes its product part).
    private static readonly AsyncLocal<string?> UserAgent = new();

    /// <summary>
    /// Keeps metadata.managedFields as kube-apiserver does: an apply's entry was computed by the
    /// apply itself; a create, update or patch gives its manager (fieldManager, or the
    /// User-Agent's product) the fields it changed, taking them from the other managers.
    /// </summary>
    private void ManagedFieldsOnWrite(ResourceType type, JsonObject next, JsonObject? current, JsonObject sent, IQueryCollection query,
        string? applyManager, string? subresource)
    {
        var now = ObjectRules.Timestamp(_state.Time.GetUtcNow());
        var part = subresource == "status" ? "status" : type.HasStatus ? "main" : null;
        if (applyManager is not null)
        {
            if (current is null)
            {
                var created = new ManagedFieldSet();
                created.Get(applyManager, "Apply", subresource, type.ApiVersion, now).Fields = FieldPaths.Leaves(next, part);
                created.Write(next);
            }
            else
            {
                ObjectRules.Metadata(next)["managedFields"] = sent["metadata"]?["managedFields"]?.DeepClone();
            }
            return;
        }
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            manager = (UserAgent.Value ?? "unknown").Split('/')[0];
            manager = manager.Length > 128 ? manager[..128] : manager;
        }
        var managed = current is null ? new ManagedFieldSet() : ManagedFieldSet.Read(current);
        var leaves = FieldPaths.Leaves(next, part);
        var changed = current is null
            ? leaves
            : leaves.Where(p => FieldPaths.Get(current, p) is var (found, value) && (!found || !JsonNode.DeepEquals(value, FieldPaths.Get(next, p).Value))).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in managed.Entries)
        {
            entry.Fields.RemoveWhere(p => changed.Contains(p) || !FieldPaths.Get(next, p).Found);
        }
        if (changed.Count > 0)
        {
            managed.Get(manager, "Update", subresource, type.ApiVersion, now).Fields.UnionWith(changed);
        }
        managed.Write(next);
    }
}
