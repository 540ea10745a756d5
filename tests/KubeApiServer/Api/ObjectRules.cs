using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// What kube-apiserver's generic registry does to an object on create and update: system
/// metadata (uid, creationTimestamp, generation), generateName, name rules, the status
/// subresource split (PrepareForCreate/PrepareForUpdate of the kind's strategy).
/// </summary>
public static partial class ObjectRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";

    public static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }
        return metadata;
    }

    public static string? Name(JsonObject obj) => (string?)obj["metadata"]?["name"];

    /// <summary>Fills a new object's system metadata; throws 400/422 as the create path does.</summary>
    public static void PrepareCreate(ResourceType type, string? ns, JsonObject obj, DateTimeOffset now)
    {
        CheckKind(type, obj);
        var metadata = Metadata(obj);
        var name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name) && metadata["generateName"] is JsonValue generate)
        {
            name = (string)generate! + string.Concat(Enumerable.Range(0, 5).Select(_ => NameChars[Random.Shared.Next(NameChars.Length)]));
            metadata["name"] = name;
        }
        if (string.IsNullOrEmpty(name))
        {
            throw Status.Invalid(type, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        }
        CheckName(type, name);
        var bodyNs = (string?)metadata["namespace"];
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw Status.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(now);
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        if (type.HasGeneration || type.IsCustom)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        // The kinds' PrepareForCreate: a custom resource with a status subresource and a pod
        // drop the status a client sent (pods start Pending); nodes keep theirs (the kubelet
        // registers a node with its addresses).
        if (type.IsCustom && type.HasStatus)
        {
            obj.Remove("status");
        }
        else if (type.Group.Length == 0 && type.Plural == "pods")
        {
            obj["status"] = new JsonObject { ["phase"] = "Pending" };
        }
        else if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            var labels = metadata["labels"] as JsonObject ?? new JsonObject();
            labels["kubernetes.io/metadata.name"] = name;
            metadata["labels"] = labels;
        }
        else if (JobRules.Applies(type))
        {
            JobRules.PrepareCreate(type, obj, name, (string)metadata["uid"]!);
        }
    }

    public static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = (string?)obj["kind"];
        var apiVersion = (string?)obj["apiVersion"];
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw Status.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion && type.IsCustom)
        {
            throw Status.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
    }

    private static void CheckName(ResourceType type, string name)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC objects are named like path segments ("system:discovery").
            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
            {
                throw Status.Invalid(type, name, [FieldError.Invalid("metadata.name", "\"" + name + "\"", "may not be '.', '..', or contain '/' or '%'")]);
            }
            return;
        }
        var namespaceLike = type.Group.Length == 0 && type.Plural is "namespaces" or "serviceaccounts";
        if (namespaceLike ? name.Length > 63 || !Label().IsMatch(name) : name.Length > 253 || !Subdomain().IsMatch(name))
        {
            var what = namespaceLike
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            throw Status.Invalid(type, name, [FieldError.Invalid("metadata.name", "\"" + name + "\"", what)]);
        }
    }

    /// <summary>
    /// Builds the object an update stores from the stored one and the sent one: system metadata
    /// kept, the status subresource split applied, generation bumped when anything but
    /// metadata (and status, where it is a subresource) changed.
    /// </summary>
    public static JsonObject PrepareUpdate(ResourceType type, JsonObject current, JsonObject sent, string? subresource)
    {
        CheckKind(type, sent);
        JsonObject next;
        if (subresource == "status")
        {
            // Custom resources take only .status from a status write (the rest is the stored
            // object); nodes and pods take metadata too: the kubelet patches annotations there.
            next = ObjectStoreClone(current);
            if (sent["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
            if (!type.IsCustom && sent["metadata"] is JsonObject sentMeta)
            {
                var meta = Metadata(next);
                foreach (var field in new[] { "labels", "annotations" })
                {
                    if (sentMeta[field] is { } value)
                    {
                        meta[field] = value.DeepClone();
                    }
                    else
                    {
                        meta.Remove(field);
                    }
                }
            }
        }
        else
        {
            next = ObjectStoreClone(sent);
            if (type.HasStatus)
            {
                if (current["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
        }
        var meta2 = Metadata(next);
        var old = (JsonObject)current["metadata"]!;
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (old[field] is { } value)
            {
                meta2[field] = value.DeepClone();
            }
            else
            {
                meta2.Remove(field);
            }
        }
        if (subresource is null && type.Group.Length == 0 && type.Plural == "namespaces")
        {
            next["spec"] = current["spec"]?.DeepClone();
        }
        next["apiVersion"] = type.ApiVersion;
        next["kind"] = type.Kind;
        if (old["generation"] is not null && SpecChanged(type, current, next))
        {
            meta2["generation"] = (Json.Long(old["generation"]) ?? 0) + 1;
        }
        if (old["deletionTimestamp"] is not null)
        {
            var before = (old["finalizers"] as JsonArray)?.Select(f => (string?)f).ToHashSet() ?? [];
            var added = (meta2["finalizers"] as JsonArray)?.Select(f => (string?)f).Where(f => !before.Contains(f)).ToList() ?? [];
            if (added.Count > 0)
            {
                throw Status.Invalid(type, Name(current) ?? "", [FieldError.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers []string{\"" + string.Join("\", \"", added) + "\"}")]);
            }
        }
        return next;
    }

    private static bool SpecChanged(ResourceType type, JsonObject a, JsonObject b)
    {
        var keys = a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Distinct()
            .Where(k => k is not ("metadata" or "apiVersion" or "kind") && !(k == "status" && type.HasStatus));
        return keys.Any(k => !JsonNode.DeepEquals(a[k], b[k]));
    }

    /// <summary>True when storing <paramref name="next"/> would change nothing (no RV bump, no event).</summary>
    public static bool SameContent(JsonObject current, JsonObject next)
    {
        var a = ObjectStoreClone(current);
        var b = ObjectStoreClone(next);
        Metadata(a).Remove("resourceVersion");
        Metadata(b).Remove("resourceVersion");
        Metadata(a).Remove("managedFields");
        Metadata(b).Remove("managedFields");
        return JsonNode.DeepEquals(a, b);
    }

    public static JsonObject ObjectStoreClone(JsonObject obj) => (JsonObject)obj.DeepClone();
}
