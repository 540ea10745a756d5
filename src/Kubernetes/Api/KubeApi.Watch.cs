using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RoutedNet.Datastore;

namespace RoutedNet.Kubernetes.Api;

public sealed partial class KubeApi
{
    // A server that ends watches at once must not be reconnected to in a tight loop.
    private static readonly TimeSpan EmptyWatchPause = TimeSpan.FromMilliseconds(250);

    // Each watch asks the server to end it after this long (as client-go does), so a stream never
    // outlives a server that went away without closing it: nothing heard for WatchIdle means a
    // dead connection, and the watch resumes on a new one from where it was.
    private const int WatchSeconds = 300;
    private static readonly TimeSpan WatchIdle = TimeSpan.FromSeconds(WatchSeconds + 30);

    /// <summary>
    /// Changes after <paramref name="resourceVersion"/>, read line by line from the watch stream
    /// (no client library: see KubeConnection). Bookmarks are passed through: they carry no change,
    /// only a newer point to resume from. When the server ends the stream (its watch timeout, a
    /// restart), the watch resumes from the last event or bookmark seen, so nothing is lost or
    /// repeated. History that is gone, answered as HTTP 410 or as an in-stream ERROR event with
    /// code 410, is a <see cref="RevisionCompactedException"/>: list again, then watch from the
    /// list's resourceVersion. Runs until cancelled.
    /// </summary>
    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(
        KubeResource resource,
        string resourceVersion,
        KubeQuery? query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceVersion);
        query ??= KubeQuery.All;
        var from = resourceVersion;
        while (true)
        {
            var path = resource.CollectionPath(query.Namespace) + "?watch=1&allowWatchBookmarks=true&timeoutSeconds="
                + WatchSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + "&resourceVersion=" + Uri.EscapeDataString(from) + query.Parameters();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Connection.BaseUrl, path));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(Json));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(RequestTimeout);
            using var response = await SendWatchAsync(request, deadline, cancellationToken).ConfigureAwait(false);
            deadline.CancelAfter(Timeout.Infinite);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                throw KubeStatus.Parse(response.StatusCode, body).ToException($"watch of {resource.Plural} from resourceVersion {from}", Connection.BaseUrl);
            }
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var seen = 0;
            while (await ReadLineAsync(reader, idle, cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                var e = Parse(resource, from, line);
                from = e.ResourceVersion.Length > 0 ? e.ResourceVersion : from;
                seen++;
                yield return e;
            }
            if (seen == 0)
            {
                await Task.Delay(EmptyWatchPause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<HttpResponseMessage> SendWatchAsync(HttpRequestMessage request, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatastoreUnavailableException($"kubernetes API server {Connection.BaseUrl}: watch: no answer within {RequestTimeout.TotalSeconds:0} s", e);
        }
    }

    // The end of the stream, a connection cut mid-stream or gone silent: all mean "resume".
    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        try
        {
            idle.CancelAfter(WatchIdle);
            return await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private KubeWatchEvent Parse(KubeResource resource, string from, string line)
    {
        JsonElement type, value;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (!document.RootElement.TryGetProperty("type", out type) || !document.RootElement.TryGetProperty("object", out value))
            {
                throw new JsonException("no type or object");
            }
            type = type.Clone();
            value = value.Clone();
        }
        catch (JsonException e)
        {
            throw new DatastoreUnavailableException($"kubernetes API server {Connection.BaseUrl}: watch of {resource.Plural}: a line that is not a watch event: {e.Message}", e);
        }
        var kind = type.GetString() switch
        {
            "ADDED" => KubeWatchEventType.Added,
            "MODIFIED" => KubeWatchEventType.Modified,
            "DELETED" => KubeWatchEventType.Deleted,
            "BOOKMARK" => KubeWatchEventType.Bookmark,
            "ERROR" => throw KubeStatus.FromObject(value).ToException($"watch of {resource.Plural} from resourceVersion {from}", Connection.BaseUrl),
            var other => throw new DatastoreUnavailableException($"kubernetes API server {Connection.BaseUrl}: watch of {resource.Plural}: unknown event type \"{other}\""),
        };
        return new KubeWatchEvent(kind, value, ResourceVersionOf(value));
    }
}
