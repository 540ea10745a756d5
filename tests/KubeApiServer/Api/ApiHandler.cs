using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// Every API request: authentication, the request counter, discovery, then the kube verb
/// (get, list, watch, create, update, patch, delete, deletecollection) on the resource the path
/// names. Failures are metav1.Status bodies; every response is written in one send.
/// </summary>
public sealed partial class ApiHandler
{
    /// <summary>
    /// As kube-apiserver's request info: a list or watch whose fieldSelector requires
    /// metadata.name=X is a request for the object X, so RBAC rules with resourceNames apply to it.
    /// </summary>
    private static ApiPath NamedByFieldSelector(ApiPath path, string verb, IQueryCollection query)
    {
        if (path.Name is not null || verb is not ("list" or "watch"))
        {
            return path;
        }
        var terms = query["fieldSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var term in terms)
        {
            var exact = term.StartsWith("metadata.name==", StringComparison.Ordinal) ? term["metadata.name==".Length..]
                : term.StartsWith("metadata.name=", StringComparison.Ordinal) ? term["metadata.name=".Length..]
                : null;
            if (exact is { Length: > 0 })
            {
                return path with { Name = exact };
            }
        }
        return path;
    }

    private readonly ServerState _state;
    private readonly Discovery _discovery;
    private readonly CrdController _crds;

    public ApiHandler(ServerState state)
    {
        _state = state;
        _discovery = new Discovery(state);
        _crds = new CrdController(state);
    }

    private ObjectStore Store => _state.Store;

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            await DispatchAsync(ctx);
        }
        catch (ApiException e)
        {
            if (!ctx.Response.HasStarted)
            {
                await WriteJsonAsync(ctx, e.Code, e.ToStatus());
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a watch closed): nothing to answer.
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or InvalidCastException
                                      or KeyNotFoundException or ArgumentException or IndexOutOfRangeException)
        {
            // A body the handlers did not expect: kube-apiserver answers 500 InternalError, so do we (the stand-in's log has the stack).
            Console.Error.WriteLine($"routednet-test-apiserver: {ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}: {e}");
            if (!ctx.Response.HasStarted)
            {
                await WriteJsonAsync(ctx, 500, Status.Failure(500, "InternalError", "Internal error occurred: " + e.Message, null));
            }
        }
    }

    private async Task DispatchAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/routednet-test/", StringComparison.Ordinal))
        {
            await Control.ControlEndpoints.HandleAsync(_state, ctx);
            return;
        }
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            await WriteBytesAsync(ctx, 200, "text/plain; charset=utf-8", "ok"u8.ToArray());
            return;
        }
        var user = Authenticate(ctx);
        UserAgent.Value = ctx.Request.Headers.UserAgent.ToString();
        var apiPath = ApiPath.Parse(path);
        if (apiPath is null)
        {
            _state.Requests.Count("get", path);
            Authorize(user, "get", null, null, path);
            var doc = _discovery.Find(path, ctx.Request.Headers.Accept.ToString()) ?? throw PathNotFound();
            await WriteJsonAsync(ctx, 200, doc);
            return;
        }
        var type = _state.Registry.Find(apiPath.Group, apiPath.Version, apiPath.Plural) ?? throw PathNotFound();
        if (apiPath.Namespace is not null && !type.Namespaced)
        {
            throw PathNotFound();
        }
        if (apiPath.Subresource is not null
            && !(apiPath.Subresource == "status" && type.HasStatus) && !type.ExtraSubresources.Contains(apiPath.Subresource))
        {
            throw PathNotFound();
        }
        var query = ctx.Request.Query;
        var verb = Verb(ctx.Request.Method, apiPath, query);
        var resource = apiPath.Subresource is null ? type.Key : type.Key + "/" + apiPath.Subresource;
        _state.Requests.Count(verb, resource);
        Authorize(user, verb, type, NamedByFieldSelector(apiPath, verb, query), path);
        if (_state.Faults.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_state.Faults.LatencyMs), _state.Time, ctx.RequestAborted);
        }
        _state.Faults.Check(verb, resource, apiPath.Name ?? "");
        switch (verb)
        {
            case "get":
                var got = Get(type, apiPath);
                await WriteJsonAsync(ctx, 200, TableConverter.Wanted(ctx.Request.Headers.Accept.ToString())
                    ? TableConverter.Convert(type, [got], new JsonObject { ["resourceVersion"] = got["metadata"]!["resourceVersion"]!.DeepClone() }, _state.Time.GetUtcNow())
                    : got);
                break;
            case "list":
                var list = List(type, apiPath, query);
                await WriteJsonAsync(ctx, 200, TableConverter.Wanted(ctx.Request.Headers.Accept.ToString())
                    ? TableConverter.Convert(type, list["items"]!.AsArray().OfType<JsonObject>(), (JsonObject)list["metadata"]!.DeepClone(), _state.Time.GetUtcNow())
                    : list);
                break;
            case "watch":
                await WatchAsync(ctx, type, apiPath, query);
                break;
            case "create":
                var created = apiPath.Subresource == "token"
                    ? CreateToken(type, apiPath, await ReadObjectAsync(ctx))
                    : Create(type, apiPath, await ReadObjectAsync(ctx), query);
                await WriteJsonAsync(ctx, 201, created);
                break;
            case "update":
                var (code, updated) = Update(type, apiPath, await ReadObjectAsync(ctx), query);
                await WriteJsonAsync(ctx, code, updated);
                break;
            case "patch":
                var (pcode, patched) = Patch(type, apiPath, ctx.Request.ContentType ?? "", await ReadBodyAsync(ctx), query, user);
                await WriteJsonAsync(ctx, pcode, patched);
                break;
            case "delete":
                var (dcode, deleted) = Delete(type, apiPath, await ReadOptionalObjectAsync(ctx), query);
                await WriteJsonAsync(ctx, dcode, deleted);
                break;
            case "deletecollection":
                await WriteJsonAsync(ctx, 200, DeleteCollection(type, apiPath, query));
                break;
            default:
                throw Status.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    private static string Verb(string method, ApiPath path, IQueryCollection query)
    {
        var watch = path.LegacyWatch || query["watch"].ToString() is "1" or "true";
        return method switch
        {
            "GET" when watch => "watch",
            "GET" => path.Name is null ? "list" : "get",
            "POST" when path.Name is null || path.Subresource == "token" => "create",
            "PUT" when path.Name is not null => "update",
            "PATCH" when path.Name is not null => "patch",
            "DELETE" => path.Name is null ? "deletecollection" : "delete",
            _ => throw Status.MethodNotAllowed("the server does not allow this method on the requested resource"),
        };
    }

    private static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body) =>
        await WriteBytesAsync(ctx, code, "application/json", Encoding.UTF8.GetBytes(Json.Text(body)));

    public static async Task WriteBytesAsync(HttpContext ctx, int code, string contentType, byte[] bytes)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }
}
