using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Control;

/// <summary>
/// Test-only endpoints under /routednet-test/ (no kube-apiserver has them; no auth, loopback only):
///   GET  requests          counts by "verb resource" since the last reset
///   POST requests/reset    zeroes them
///   POST compact[?expireWatches=false]  drops all watch history (old RVs → 410); open watches get an in-stream 410 ERROR unless told not to
///   POST drop-watches[?resource=pods]   ends open watches cleanly (the client must re-watch)
///   POST bookmarks         sends a BOOKMARK to every watch that allows them, now
///   POST faults            adds a fault rule (FaultInjector); DELETE faults clears them
///   GET  rv                the current global resourceVersion
/// </summary>
public static class ControlEndpoints
{
    public static async Task HandleAsync(ServerState state, HttpContext ctx)
    {
        var what = ctx.Request.Path.Value!["/routednet-test/".Length..].TrimEnd('/');
        var method = ctx.Request.Method;
        JsonNode result;
        switch (what, method)
        {
            case ("requests", "GET"):
                result = state.Requests.Snapshot();
                break;
            case ("requests/reset", "POST") or ("requests", "DELETE"):
                state.Requests.Reset();
                result = new JsonObject { ["reset"] = true };
                break;
            case ("compact", "POST"):
                state.Store.Compact(ctx.Request.Query["expireWatches"].ToString() != "false");
                result = new JsonObject { ["compactedAt"] = state.Store.CurrentRv };
                break;
            case ("drop-watches", "POST"):
                var resource = ctx.Request.Query["resource"].ToString();
                result = new JsonObject { ["dropped"] = state.Store.DropWatches(resource.Length == 0 ? null : resource) };
                break;
            case ("bookmarks", "POST"):
                state.Store.SendBookmarks();
                result = new JsonObject { ["resourceVersion"] = state.Store.CurrentRv };
                break;
            case ("faults", "POST"):
                using (var reader = new StreamReader(ctx.Request.Body))
                {
                    var body = JsonNode.Parse(await reader.ReadToEndAsync(ctx.RequestAborted)) as JsonObject
                               ?? throw Status.BadRequest("a fault rule is a JSON object");
                    state.Faults.Add(body);
                }
                result = new JsonObject { ["added"] = true };
                break;
            case ("faults", "DELETE"):
                state.Faults.Clear();
                result = new JsonObject { ["cleared"] = true };
                break;
            case ("rv", "GET"):
                result = new JsonObject { ["resourceVersion"] = state.Store.CurrentRv };
                break;
            default:
                throw new ApiException(404, "NotFound", $"no test endpoint {method} /routednet-test/{what}");
        }
        await ApiHandler.WriteJsonAsync(ctx, 200, result);
    }
}
