using System.Net;
using System.Text.Json;
using RoutedNet.Datastore;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// A failed request's <c>Status</c> (code, reason, message) and the datastore error it means.
/// 409 is told apart by <c>reason</c>: Conflict (stale resourceVersion) or AlreadyExists.
/// </summary>
internal sealed record KubeStatus(int Code, string Reason, string Message, bool NamesObject = false)
{
    public static KubeStatus Parse(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var code = (int)status;
        var reason = status.ToString();
        var message = "";
        var namesObject = false;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            (code, reason, message) = FromElement(document.RootElement, code, reason);
            namesObject = NamesAnObject(document.RootElement);
        }
        catch (JsonException)
        {
            message = System.Text.Encoding.UTF8.GetString(body).Trim();
        }
        return new KubeStatus(code, reason, message.Length > 0 ? message : $"HTTP {(int)status} {status}", namesObject);
    }

    /// <summary>A Status object, e.g. an in-stream watch ERROR event's.</summary>
    public static KubeStatus FromObject(JsonElement status)
    {
        var (code, reason, message) = FromElement(status, 500, "InternalError");
        return new KubeStatus(code, reason, message, NamesAnObject(status));
    }

    /// <summary>The datastore error for this status on <paramref name="what"/> (e.g. <c>IPPool "p"</c>) at <paramref name="server"/>.</summary>
    /// <summary>The words a 404 without an object name carries: the resource's path is not served at all (its CRD is not installed).</summary>
    public const string NotServed = "not served";

    public DatastoreException ToException(string what, Uri server) => Code switch
    {
        // An absent object's Status names it (details.name); without a name, the path itself is
        // not served: a kind whose CRD is not installed.
        404 when NamesObject => new ResourceNotFoundException($"{what} not found ({Message})"),
        404 => new DatastoreUnusableException(
            $"kubernetes API server {server}: {what}: {NotServed} ({Message}); the routednet.io kinds need the CRDs of charts/routednet/crds/ installed"),
        409 when Reason == "AlreadyExists" => new ResourceAlreadyExistsException($"{what} already exists"),
        409 => new RevisionConflictException($"{what} was modified: {Message}"),
        410 => new RevisionCompactedException($"{what}: {Message}"),
        400 or 422 => new ResourceValidationException($"{what}: {Message}"),
        401 or 403 => new DatastoreUnusableException($"kubernetes API server {server}: {what}: {Reason}: {Message}"),
        _ => new DatastoreUnavailableException($"kubernetes API server {server}: {what}: HTTP {Code} {Reason}: {Message}"),
    };

    private static bool NamesAnObject(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
        && details.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString()!.Length > 0;

    private static (int Code, string Reason, string Message) FromElement(JsonElement e, int code, string reason)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return (code, reason, "");
        }
        if (e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var parsed))
        {
            code = parsed;
        }
        if (e.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } text)
        {
            reason = text;
        }
        var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
        return (code, reason, message.ReplaceLineEndings(" "));
    }
}
