using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Auth;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    private RbacAuthorizer? _rbac;

    /// <summary>Bearer token → user; a request without a valid one is 401 (anonymous access is off).</summary>
    private UserInfo Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw Status.Unauthorized();
        }
        var sa = _state.Registry.Find("", "v1", "serviceaccounts")!;
        return _state.Tokens.Authenticate(header[7..].Trim(), _state.Time.GetUtcNow(),
                   (ns, name) => Store.Get(sa, ObjectStore.KeyOf(ns, name)) is not null)
               ?? throw Status.Unauthorized();
    }

    private void Authorize(UserInfo user, string verb, ResourceType? type, ApiPath? path, string urlPath)
    {
        _rbac ??= new RbacAuthorizer(_state.Registry, Store);
        var request = type is null || path is null
            ? new RbacAuthorizer.Request(verb, "", "", null, null, null, urlPath)
            : new RbacAuthorizer.Request(verb, type.Group, type.Plural, path.Subresource, path.Name, path.Namespace, null);
        if (!_rbac.Allows(user, request))
        {
            throw RbacAuthorizer.Forbidden(user, request, type?.Key ?? "");
        }
    }
}
