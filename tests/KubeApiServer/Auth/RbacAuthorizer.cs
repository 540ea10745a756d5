using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Auth;

/// <summary>
/// RBAC as kube-apiserver's authorizer evaluates it, over the stored ClusterRoles,
/// ClusterRoleBindings, Roles and RoleBindings: a request is allowed when some binding whose
/// subjects include the caller (User, Group, ServiceAccount) refers to a role with a rule
/// matching the verb, API group, resource (subresources as "nodes/status", "*"), resource
/// name and, for non-resource paths, the URL. Anything else is 403 with kube's message. Members
/// of system:masters skip RBAC, as they do on a real cluster.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly ResourceRegistry _registry;
    private readonly ObjectStore _store;

    public RbacAuthorizer(ResourceRegistry registry, ObjectStore store)
    {
        _registry = registry;
        _store = store;
    }

    public sealed record Request(string Verb, string Group, string Resource, string? Subresource, string? Name, string? Namespace, string? Path);

    public bool Allows(UserInfo user, Request request)
    {
        if (user.IsMaster)
        {
            return true;
        }
        var clusterRoles = Rbac("clusterroles");
        var clusterRoleBindings = Rbac("clusterrolebindings");
        var roles = Rbac("roles");
        var roleBindings = Rbac("rolebindings");
        lock (_store.Gate)
        {
            foreach (var binding in _store.Objects(clusterRoleBindings))
            {
                if (Binds(binding, user, null) && RoleAllows(Role(binding, null, clusterRoles, roles), request))
                {
                    return true;
                }
            }
            if (request.Namespace is not null)
            {
                foreach (var binding in _store.Objects(roleBindings, request.Namespace))
                {
                    if (Binds(binding, user, request.Namespace) && RoleAllows(Role(binding, request.Namespace, clusterRoles, roles), request))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private ResourceType Rbac(string plural) => _registry.Find("rbac.authorization.k8s.io", "v1", plural)!;

    private JsonObject? Role(JsonObject binding, string? ns, ResourceType clusterRoles, ResourceType roles)
    {
        var kind = (string?)binding["roleRef"]?["kind"];
        var name = (string?)binding["roleRef"]?["name"] ?? "";
        return kind switch
        {
            "ClusterRole" => _store.Peek(clusterRoles, name),
            "Role" when ns is not null => _store.Peek(roles, ObjectStore.KeyOf(ns, name)),
            _ => null,
        };
    }

    private static bool Binds(JsonObject binding, UserInfo user, string? bindingNamespace)
    {
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)subject["name"];
            var matches = (string?)subject["kind"] switch
            {
                "User" => name == user.Name,
                "Group" => name is not null && user.Groups.Contains(name),
                "ServiceAccount" => user.Name == $"system:serviceaccount:{(string?)subject["namespace"] ?? bindingNamespace}:{name}",
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }
        return false;
    }

    private static bool RoleAllows(JsonObject? role, Request request)
    {
        foreach (var rule in (role?["rules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!Has(rule, "verbs", request.Verb))
            {
                continue;
            }
            if (request.Path is not null)
            {
                if ((rule["nonResourceURLs"] as JsonArray ?? []).Select(u => (string?)u).Any(u =>
                    u == "*" || u == request.Path || (u is not null && u.EndsWith('*') && request.Path.StartsWith(u[..^1], StringComparison.Ordinal))))
                {
                    return true;
                }
                continue;
            }
            var resource = request.Subresource is null ? request.Resource : request.Resource + "/" + request.Subresource;
            var resources = (rule["resources"] as JsonArray ?? []).Select(r => (string?)r).ToList();
            var resourceMatches = resources.Any(r => r == "*" || r == resource
                || (request.Subresource is not null && r == "*/" + request.Subresource));
            if (!Has(rule, "apiGroups", request.Group) || !resourceMatches)
            {
                continue;
            }
            var names = (rule["resourceNames"] as JsonArray ?? []).Select(n => (string?)n).ToList();
            if (names.Count == 0 || (request.Name is not null && names.Contains(request.Name)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Has(JsonObject rule, string field, string value) =>
        (rule[field] as JsonArray ?? []).Select(v => (string?)v).Any(v => v == "*" || v == value);

    /// <summary>kube-apiserver's 403 for a request RBAC does not allow.</summary>
    public static ApiException Forbidden(UserInfo user, Request request, string qualifiedResource)
    {
        if (request.Path is not null)
        {
            return new ApiException(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"", new JsonObject());
        }
        var resource = request.Subresource is null ? request.Resource : request.Resource + "/" + request.Subresource;
        var subject = request.Name is null ? qualifiedResource : $"{qualifiedResource} \"{request.Name}\"";
        var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var details = new JsonObject();
        if (request.Name is not null)
        {
            details["name"] = request.Name;
        }
        if (request.Group.Length > 0)
        {
            details["group"] = request.Group;
        }
        details["kind"] = request.Resource;
        return new ApiException(403, "Forbidden",
            $"{subject} is forbidden: User \"{user.Name}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.Group}\" {scope}",
            details);
    }
}
