using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Patching;

/// <summary>
/// Server-side apply (https://kubernetes.io/docs/reference/using-api/server-side-apply/): the
/// applied configuration's fields become the manager's; a field another manager owns with a
/// different value is a conflict (409, one cause per field) unless force, which takes it over;
/// fields the manager applied before and no longer applies are removed unless someone else
/// owns them too.
/// </summary>
public static class ServerSideApply
{
    public static JsonObject Merge(JsonObject current, JsonObject applied, string manager, bool force, string? subresource,
        bool statusIsSubresource, string apiVersion, string time, string qualifiedKind, string name)
    {
        var part = subresource == "status" ? "status" : statusIsSubresource ? "main" : null;
        var appliedFields = FieldPaths.Leaves(applied, part);
        var managed = ManagedFieldSet.Read(current);
        var conflicts = new List<(string Path, ManagedFieldSet.Entry Owner)>();
        foreach (var path in appliedFields)
        {
            var (_, newValue) = FieldPaths.Get(applied, path);
            var (found, liveValue) = FieldPaths.Get(current, path);
            if (found && JsonNode.DeepEquals(newValue, liveValue))
            {
                continue;
            }
            foreach (var owner in managed.Entries.Where(e => !e.Is(manager, "Apply", subresource) && e.Fields.Contains(path)))
            {
                conflicts.Add((path, owner));
            }
        }
        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(conflicts, qualifiedKind, name);
        }
        foreach (var (path, owner) in conflicts)
        {
            owner.Fields.Remove(path);
        }
        var merged = (JsonObject)current.DeepClone();
        var mine = managed.Get(manager, "Apply", subresource, apiVersion, time);
        foreach (var path in mine.Fields.Where(p => !appliedFields.Contains(p)))
        {
            if (!managed.Entries.Any(e => e != mine && e.Fields.Contains(path)))
            {
                FieldPaths.Remove(merged, path);
            }
        }
        foreach (var path in appliedFields)
        {
            FieldPaths.Set(merged, path, FieldPaths.Get(applied, path).Value);
        }
        // Fields now applied by this manager are shared with their other owners (same value).
        mine.Fields = appliedFields;
        managed.Write(merged);
        return merged;
    }

    private static ApiException Conflict(List<(string Path, ManagedFieldSet.Entry Owner)> conflicts, string qualifiedKind, string name)
    {
        var causes = new JsonArray();
        var lines = new List<string>();
        foreach (var (path, owner) in conflicts)
        {
            var message = $"conflict with \"{owner.Manager}\"{(owner.Operation == "Update" ? "" : "")} using {owner.ApiVersion}";
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = message, ["field"] = FieldPaths.Display(path) });
            lines.Add($"{message}: {FieldPaths.Display(path)}");
        }
        var text = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: {lines[0]}"
            : $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        return new ApiException(409, "Conflict", text, new JsonObject { ["name"] = name, ["kind"] = qualifiedKind, ["causes"] = causes });
    }
}
