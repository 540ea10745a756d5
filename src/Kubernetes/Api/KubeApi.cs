using System.Net.Http.Headers;
using System.Text.Json;
using RoutedNet.Datastore;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// The few API calls RoutedNet makes, typed by outcome: get, list (all pages), create, replace,
/// delete with a resourceVersion precondition, merge patch (also on a subresource such as
/// nodes/status) and watch. Objects are <see cref="JsonElement"/>s: callers convert with their own
/// source-generated contracts (NativeAOT). Failures are <see cref="DatastoreException"/>s:
/// NotFound, AlreadyExists and Conflict told apart by the Status <c>reason</c>, 410 as
/// <see cref="RevisionCompactedException"/>, an unreachable server as
/// <see cref="DatastoreUnavailableException"/> naming its URL.
/// </summary>
public sealed partial class KubeApi : IDisposable
{
    private const string Json = "application/json";
    private const string MergePatch = "application/merge-patch+json";

    /// <summary>How long one request (not a watch) may take before the API server counts as unreachable.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public KubeApi(KubeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
    }

    public KubeConnection Connection { get; }

    /// <summary>Opens the API <paramref name="kubeconfig"/> names (see <see cref="KubeConnection.Open"/>).</summary>
    public static KubeApi Open(string? kubeconfig) => new(KubeConnection.Open(kubeconfig));

    /// <summary>Reads one object; null when it does not exist.</summary>
    public async Task<JsonElement?> GetAsync(KubeResource resource, string name, CancellationToken cancellationToken, string? ns = null)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, resource.ObjectPath(name, ns: ns), null, Json, What(resource, name), cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Creates the object (POST); <see cref="ResourceAlreadyExistsException"/> when the name is taken. Returns it as stored.</summary>
    public Task<JsonElement> CreateAsync(KubeResource resource, byte[] body, string what, CancellationToken cancellationToken, string? ns = null) =>
        SendAsync(HttpMethod.Post, resource.CollectionPath(ns), body, Json, what, cancellationToken);

    /// <summary>
    /// Replaces the object (PUT): with <c>metadata.resourceVersion</c> in <paramref name="body"/> a
    /// compare-and-swap (<see cref="RevisionConflictException"/>), without it unconditional.
    /// </summary>
    public Task<JsonElement> ReplaceAsync(KubeResource resource, string name, byte[] body, string what, CancellationToken cancellationToken, string? ns = null) =>
        SendAsync(HttpMethod.Put, resource.ObjectPath(name, ns: ns), body, Json, what, cancellationToken);

    /// <summary>
    /// JSON merge patch (RFC 7386) of the object or its <paramref name="subresource"/>; a
    /// <c>metadata.resourceVersion</c> in the patch makes it a compare-and-swap.
    /// </summary>
    public Task<JsonElement> MergePatchAsync(KubeResource resource, string name, byte[] patch, string? subresource, string what, CancellationToken cancellationToken, string? ns = null) =>
        SendAsync(HttpMethod.Patch, resource.ObjectPath(name, subresource, ns), patch, MergePatch, what, cancellationToken);

    /// <summary>
    /// Deletes the object, only if its resourceVersion is still <paramref name="resourceVersion"/>
    /// when given (<c>preconditions.resourceVersion</c>: <see cref="RevisionConflictException"/>).
    /// </summary>
    public async Task DeleteAsync(KubeResource resource, string name, string? resourceVersion, string what, CancellationToken cancellationToken, string? ns = null)
    {
        byte[]? body = null;
        if (resourceVersion is not null)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("kind", "DeleteOptions");
                writer.WriteString("apiVersion", "v1");
                writer.WriteStartObject("preconditions");
                writer.WriteString("resourceVersion", resourceVersion);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            body = buffer.ToArray();
        }
        await SendAsync(HttpMethod.Delete, resource.ObjectPath(name, ns: ns), body, Json, what, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => Connection.Dispose();

    internal static string What(KubeResource resource, string name) => $"{resource.Kind} \"{name}\"";

    private async Task<JsonElement> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string contentType, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Connection.BaseUrl, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(Json));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        byte[] bytes;
        System.Net.HttpStatusCode status;
        try
        {
            using var response = await Connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            status = response.StatusCode;
            bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Connection.Unreachable(e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatastoreUnavailableException($"kubernetes API server {Connection.BaseUrl}: {what}: no answer within {RequestTimeout.TotalSeconds:0} s", e);
        }
        if ((int)status is < 200 or > 299)
        {
            throw KubeStatus.Parse(status, bytes).ToException(what, Connection.BaseUrl);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new DatastoreUnavailableException($"kubernetes API server {Connection.BaseUrl}: {what}: the answer is not JSON: {e.Message}", e);
        }
    }
}
