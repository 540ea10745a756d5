using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Selectors;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    /// <summary>
    /// DELETE with DeleteOptions: preconditions (uid, resourceVersion) → 409 on mismatch;
    /// finalizers pending → deletionTimestamp set and the object stays (MODIFIED) until an
    /// update empties them; a pod bound to a node is deleted gracefully (deletionTimestamp +
    /// grace period) until a delete with gracePeriodSeconds=0 — what the kubelet sends once the
    /// containers are gone; a namespace takes its contents with it.
    /// </summary>
    private (int, JsonNode) Delete(ResourceType type, ApiPath path, JsonObject? options, IQueryCollection query)
    {
        var grace = Json.Long(options?["gracePeriodSeconds"])
                    ?? (long.TryParse(query["gracePeriodSeconds"].ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var g) ? g : null);
        lock (Store.Gate)
        {
            var key = ObjectStore.KeyOf(path.Namespace, path.Name!);
            var current = Store.Peek(type, key) ?? throw Status.NotFound(type, path.Name!);
            var meta = (JsonObject)current["metadata"]!;
            if (options?["preconditions"] is JsonObject pre)
            {
                if ((string?)pre["uid"] is { } uid && uid != (string?)meta["uid"])
                {
                    throw Status.Conflict(type, path.Name!, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {(string?)meta["uid"]}");
                }
                if ((string?)pre["resourceVersion"] is { } rv && rv != (string?)meta["resourceVersion"])
                {
                    throw Status.Conflict(type, path.Name!, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {(string?)meta["resourceVersion"]}");
                }
            }
            if (DryRun(query))
            {
                return (200, ObjectStore.Clone(current));
            }
            var now = _state.Time.GetUtcNow();
            if (type.Group.Length == 0 && type.Plural == "pods" && !string.IsNullOrEmpty((string?)current["spec"]?["nodeName"]) && grace != 0)
            {
                if (meta["deletionTimestamp"] is not null)
                {
                    return (200, ObjectStore.Clone(current));
                }
                var seconds = grace ?? Json.Long(current["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
                var terminating = ObjectStore.Clone(current);
                ObjectRules.Metadata(terminating)["deletionTimestamp"] = ObjectRules.Timestamp(now.AddSeconds(seconds));
                ObjectRules.Metadata(terminating)["deletionGracePeriodSeconds"] = seconds;
                BumpGeneration(terminating);
                return (200, Store.Put(type, key, terminating));
            }
            if ((meta["finalizers"] as JsonArray ?? []).Count > 0)
            {
                if (meta["deletionTimestamp"] is not null)
                {
                    return (200, ObjectStore.Clone(current));
                }
                var pending = ObjectStore.Clone(current);
                ObjectRules.Metadata(pending)["deletionTimestamp"] = ObjectRules.Timestamp(now);
                ObjectRules.Metadata(pending)["deletionGracePeriodSeconds"] = 0;
                BumpGeneration(pending);
                return (200, Store.Put(type, key, pending));
            }
            if (type.Group.Length == 0 && type.Plural == "namespaces")
            {
                foreach (var namespaced in _state.Registry.All.Where(t => t.Namespaced).DistinctBy(t => t.Key))
                {
                    Store.RemoveAll(namespaced, path.Name);
                }
            }
            var final = RemoveObject(type, key);
            var returnsObject = type.IsCustom || IsCrd(type) || (type.Group.Length == 0 && type.Plural is "pods" or "serviceaccounts" or "namespaces");
            return (200, returnsObject ? final : Status.Success(type, path.Name!, (string?)meta["uid"]));
        }
    }

    private static void BumpGeneration(JsonObject obj)
    {
        var meta = ObjectRules.Metadata(obj);
        if (meta["generation"] is { } generation)
        {
            meta["generation"] = (Json.Long(generation) ?? 0) + 1;
        }
    }

    private JsonObject DeleteCollection(ResourceType type, ApiPath path, IQueryCollection query)
    {
        var page = Store.List(type, path.Namespace, LabelSelector.Parse(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"], type), 0, null, null, null);
        var items = new JsonArray();
        foreach (var item in page.Items)
        {
            var name = ObjectRules.Name(item)!;
            var (_, result) = Delete(type, path with { Name = name }, null, query);
            if (result is JsonObject obj && (string?)obj["kind"] == type.Kind)
            {
                items.Add(obj);
            }
        }
        return new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = ObjectStore.Format(Store.CurrentRv) },
            ["items"] = items,
        };
    }
}
