using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Selectors;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    private JsonObject Get(ResourceType type, ApiPath path) =>
        Store.Get(type, ObjectStore.KeyOf(path.Namespace, path.Name!)) ?? throw Status.NotFound(type, path.Name!);

    private JsonObject List(ResourceType type, ApiPath path, IQueryCollection query)
    {
        var limit = long.TryParse(query["limit"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var page = Store.List(type, path.Namespace, LabelSelector.Parse(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"], type), limit, query["continue"], query["resourceVersion"],
            query["resourceVersionMatch"]);
        var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.Format(page.ResourceVersion) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
        }
        var items = new JsonArray();
        foreach (var item in page.Items)
        {
            item["apiVersion"] = type.ApiVersion;
            items.Add(item);
        }
        return new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata, ["items"] = items };
    }

    /// <summary>
    /// A watch: chunked, one JSON event per line, each written and flushed in one send (a client
    /// reading line by line must never wait on half an event: lab notes E1). Periodic BOOKMARKs
    /// come from the bookmark timer; timeoutSeconds ends the stream cleanly, as kube does.
    /// </summary>
    private async Task WatchAsync(HttpContext ctx, ResourceType type, ApiPath path, IQueryCollection query)
    {
        var fields = FieldSelector.Parse(query["fieldSelector"], type);
        if (path.Name is not null)
        {
            fields = FieldSelector.Parse(string.Join(',', new[] { "metadata.name=" + path.Name, query["fieldSelector"].ToString() }.Where(s => s.Length > 0)), type);
        }
        var watcher = new Watcher
        {
            Type = type,
            Namespace = path.Namespace,
            Labels = LabelSelector.Parse(query["labelSelector"]),
            Fields = fields,
            Bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1",
        };
        Store.Watch(watcher, query["resourceVersion"], query["sendInitialEvents"].ToString() == "true");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
            if (long.TryParse(query["timeoutSeconds"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.Headers.CacheControl = "no-cache, private";
            await ctx.Response.StartAsync(ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            try
            {
                await foreach (var line in watcher.Events.ReadAllAsync(timeout.Token))
                {
                    await ctx.Response.Body.WriteAsync(line, ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                }
            }
            catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                // timeoutSeconds reached: end the stream normally.
            }
        }
        finally
        {
            Store.Unwatch(watcher);
        }
    }
}
