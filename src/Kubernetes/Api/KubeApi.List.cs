using System.Globalization;
using System.Text.Json;
using RoutedNet.Datastore;

namespace RoutedNet.Kubernetes.Api;

public sealed partial class KubeApi
{
    /// <summary>Objects per page: the API server's memory per request stays bounded for big kinds (IPAM blocks).</summary>
    public const int DefaultPageSize = 500;

    // An expired continue token (410 Expired: the snapshot the pages come from was compacted away)
    // means starting the list again; past this many restarts the kind changes faster than it can be read.
    private const int ListRestarts = 8;

    /// <summary>
    /// Every object that <paramref name="query"/> selects, page by page (limit/continue) from one
    /// snapshot, and the snapshot's resourceVersion. A page token that expired restarts the list
    /// from the first page, so the result is never a mix of two snapshots. Order is the server's.
    /// </summary>
    /// <param name="exactResourceVersion">
    /// When given, the objects as they were at that resourceVersion (<c>resourceVersionMatch=Exact</c>);
    /// <see cref="RevisionCompactedException"/> when that history is gone.
    /// </param>
    public async Task<KubeList> ListAsync(KubeResource resource, KubeQuery? query, CancellationToken cancellationToken, int pageSize = DefaultPageSize, string? exactResourceVersion = null)
    {
        query ??= KubeQuery.All;
        for (var restart = 0; ; restart++)
        {
            var items = new List<JsonElement>();
            string? token = null;
            try
            {
                while (true)
                {
                    var path = resource.CollectionPath(query.Namespace) + "?limit=" + pageSize.ToString(CultureInfo.InvariantCulture)
                        + (token is not null ? "&continue=" + Uri.EscapeDataString(token)
                            : exactResourceVersion is not null ? "&resourceVersionMatch=Exact&resourceVersion=" + Uri.EscapeDataString(exactResourceVersion)
                            : "")
                        + query.Parameters();
                    var page = await SendAsync(HttpMethod.Get, path, null, Json, resource.Plural, cancellationToken).ConfigureAwait(false);
                    if (page.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        items.AddRange(list.EnumerateArray());
                    }
                    var metadata = page.TryGetProperty("metadata", out var m) ? m : default;
                    token = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("continue", out var c) ? c.GetString() : null;
                    if (string.IsNullOrEmpty(token))
                    {
                        return new KubeList(items, ResourceVersionOf(page));
                    }
                }
            }
            catch (RevisionCompactedException) when (token is not null && restart < ListRestarts)
            {
                // 410 Expired on a continue token: list again from the start
            }
        }
    }

    /// <summary>The collection's resourceVersion now (one page of one object): watch from it for "changes from now".</summary>
    public async Task<string> CurrentResourceVersionAsync(KubeResource resource, KubeQuery? query, CancellationToken cancellationToken)
    {
        query ??= KubeQuery.All;
        var page = await SendAsync(HttpMethod.Get, resource.CollectionPath(query.Namespace) + "?limit=1" + query.Parameters(), null, Json, resource.Plural, cancellationToken).ConfigureAwait(false);
        return ResourceVersionOf(page);
    }

    /// <summary><c>metadata.resourceVersion</c> of an object or list, or "".</summary>
    public static string ResourceVersionOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("resourceVersion", out var rv) && rv.ValueKind == JsonValueKind.String
            ? rv.GetString() ?? ""
            : "";
}
