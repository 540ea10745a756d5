using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    private static bool DryRun(IQueryCollection query) => query["dryRun"].ToString() == "All";

    private ResourceType CoreType(string plural) => _state.Registry.Find("", "v1", plural)!;

    private JsonObject Create(ResourceType type, ApiPath path, JsonObject obj, IQueryCollection query, string? applyManager = null)
    {
        ObjectRules.PrepareCreate(type, path.Namespace, obj, _state.Time.GetUtcNow());
        var name = ObjectRules.Name(obj)!;
        Validate(type, obj, null, query);
        ManagedFieldsOnWrite(type, obj, null, obj, query, applyManager, null);
        lock (Store.Gate)
        {
            if (type.Namespaced && Store.Peek(CoreType("namespaces"), path.Namespace!) is null)
            {
                throw Status.NamespaceNotFound(path.Namespace!);
            }
            var key = ObjectStore.KeyOf(path.Namespace, name);
            if (Store.Peek(type, key) is not null)
            {
                throw Status.AlreadyExists(type, name);
            }
            if (IsCrd(type))
            {
                _crds.PrepareCreate(obj);
            }
            if (DryRun(query))
            {
                return obj;
            }
            var stored = Store.Put(type, key, obj);
            AfterWrite(type, stored, created: true);
            return stored;
        }
    }

    private static bool IsCrd(ResourceType type) => type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions";

    private void AfterWrite(ResourceType type, JsonObject stored, bool created)
    {
        if (IsCrd(type))
        {
            _crds.Register(stored);
        }
        else if (created && type.Group.Length == 0 && type.Plural == "namespaces")
        {
            // The service-account controller's job on a real cluster: every namespace has "default".
            var sa = CoreType("serviceaccounts");
            var ns = ObjectRules.Name(stored)!;
            var account = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "default" } };
            ObjectRules.PrepareCreate(sa, ns, account, _state.Time.GetUtcNow());
            Store.Put(sa, ObjectStore.KeyOf(ns, "default"), account);
        }
    }

    private (int, JsonObject) Update(ResourceType type, ApiPath path, JsonObject sent, IQueryCollection query)
    {
        var sentName = ObjectRules.Name(sent);
        if (sentName is not null && sentName != path.Name)
        {
            throw Status.BadRequest($"the name of the object ({sentName}) does not match the name on the URL ({path.Name})");
        }
        ObjectRules.Metadata(sent)["name"] = path.Name;
        lock (Store.Gate)
        {
            var current = Store.Peek(type, ObjectStore.KeyOf(path.Namespace, path.Name!)) ?? throw Status.NotFound(type, path.Name!);
            return Replace(type, path, current, sent, query, null);
        }
    }

    /// <summary>The common tail of update, patch and apply (caller holds the store's lock).</summary>
    private (int, JsonObject) Replace(ResourceType type, ApiPath path, JsonObject current, JsonObject sent, IQueryCollection query,
        string? applyManager)
    {
        var name = path.Name!;
        var sentRv = (string?)sent["metadata"]?["resourceVersion"];
        if (!string.IsNullOrEmpty(sentRv) && sentRv != (string?)current["metadata"]!["resourceVersion"])
        {
            throw Status.Conflict(type, name, Status.ModifiedMessage);
        }
        var next = ObjectRules.PrepareUpdate(type, current, sent, path.Subresource);
        Validate(type, next, current, query);
        ManagedFieldsOnWrite(type, next, current, sent, query, applyManager, path.Subresource);
        if (IsCrd(type))
        {
            _crds.PrepareUpdate(next, current);
        }
        if (ObjectRules.SameContent(current, next))
        {
            return (200, ObjectStore.Clone(current));
        }
        if (DryRun(query))
        {
            return (200, next);
        }
        var key = ObjectStore.KeyOf(path.Namespace, name);
        var meta = ObjectRules.Metadata(next);
        if (meta["deletionTimestamp"] is not null && (meta["finalizers"] as JsonArray ?? []).Count == 0 && !IsGracefulPod(type, next))
        {
            return (200, RemoveObject(type, key));
        }
        var stored = Store.Put(type, key, next);
        AfterWrite(type, stored, created: false);
        return (200, stored);
    }

    private static bool IsGracefulPod(ResourceType type, JsonObject obj) =>
        type.Group.Length == 0 && type.Plural == "pods" && Json.Long(obj["metadata"]?["deletionGracePeriodSeconds"]) > 0;

    private JsonObject RemoveObject(ResourceType type, string key)
    {
        var final = Store.Remove(type, key);
        if (IsCrd(type))
        {
            _crds.Unregister(final);
        }
        return final;
    }

    private JsonObject CreateToken(ResourceType type, ApiPath path, JsonObject request)
    {
        if (Store.Get(type, ObjectStore.KeyOf(path.Namespace, path.Name!)) is null)
        {
            throw Status.NotFound(type, path.Name!);
        }
        var seconds = Json.Long(request["spec"]?["expirationSeconds"]) ?? 3600;
        var expires = _state.Time.GetUtcNow().AddSeconds(seconds);
        var token = _state.Tokens.IssueServiceAccountToken(path.Namespace!, path.Name!, expires);
        var response = (JsonObject)request.DeepClone();
        response["apiVersion"] = "authentication.k8s.io/v1";
        response["kind"] = "TokenRequest";
        ObjectRules.Metadata(response)["name"] = path.Name;
        ObjectRules.Metadata(response)["namespace"] = path.Namespace;
        var spec = response["spec"] as JsonObject ?? new JsonObject();
        spec["expirationSeconds"] = seconds;
        spec["audiences"] ??= new JsonArray("https://kubernetes.default.svc.cluster.local");
        response["spec"] = spec;
        response["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ObjectRules.Timestamp(expires) };
        return response;
    }
}
