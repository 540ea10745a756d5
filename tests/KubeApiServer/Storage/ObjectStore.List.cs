using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Selectors;

namespace RoutedNet.KubeApiServer.Storage;

public sealed partial class ObjectStore
{
    private const string ContinueTooOld =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    /// <summary>
    /// One page of a list. Every page of a paged list shows the state at the first page's RV, as
    /// etcd-backed kube-apiserver does: later pages are rebuilt from the history, and a token
    /// whose RV has left the history window is 410 Expired.
    /// </summary>
    public ListPage List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields,
        long limit, string? continueToken, string? resourceVersion, string? resourceVersionMatch)
    {
        lock (Gate)
        {
            var table = Table(type);
            long rv = _rv;
            var start = "";
            IReadOnlyDictionary<string, JsonObject> objects = table.Objects;
            if (!string.IsNullOrEmpty(continueToken))
            {
                (rv, start) = DecodeContinue(continueToken);
                if (rv < table.CompactedRv)
                {
                    throw Status.Expired(ContinueTooOld);
                }
                objects = SnapshotAt(table, rv);
            }
            else if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
            {
                var asked = ParseRv(resourceVersion);
                if (asked > _rv)
                {
                    throw TooLarge(asked);
                }
                if (resourceVersionMatch == "Exact")
                {
                    if (asked < table.CompactedRv)
                    {
                        throw Status.Expired($"too old resource version: {asked} ({table.CompactedRv})");
                    }
                    rv = asked;
                    objects = SnapshotAt(table, rv);
                }
            }
            var items = new List<JsonObject>();
            string? next = null;
            var prefix = ns is null ? null : ns + "/";
            foreach (var (key, obj) in objects.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (string.CompareOrdinal(key, start) <= 0 && start.Length > 0)
                {
                    continue;
                }
                if (prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }
                if (!labels.Matches(obj) || !fields.Matches(obj))
                {
                    continue;
                }
                if (limit > 0 && items.Count == limit)
                {
                    next = EncodeContinue(rv, ((string?)items[^1]["metadata"]!["namespace"] is { } n ? n + "/" : "") + (string)items[^1]["metadata"]!["name"]!);
                    break;
                }
                items.Add((JsonObject)obj.DeepClone());
            }
            return new ListPage(items, rv, next);
        }
    }

    public static long ParseRv(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw Status.BadRequest($"invalid resource version \"{text}\"");

    private ApiException TooLarge(long asked) =>
        new(504, "Timeout", $"Too large resource version: {asked}, current: {_rv}",
            new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                ["retryAfterSeconds"] = 1,
            });

    private static Dictionary<string, JsonObject> SnapshotAt(ResourceTable table, long rv)
    {
        var snapshot = new Dictionary<string, JsonObject>(table.Objects, StringComparer.Ordinal);
        for (var i = table.History.Count - 1; i >= 0 && table.History[i].Rv > rv; i--)
        {
            var ev = table.History[i];
            if (ev.Previous is null)
            {
                snapshot.Remove(ev.Key);
            }
            else
            {
                snapshot[ev.Key] = ev.Previous;
            }
        }
        return snapshot;
    }

    private static string EncodeContinue(long rv, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = lastKey }.ToJsonString()));

    private static (long Rv, string Start) DecodeContinue(string token)
    {
        try
        {
            var obj = JsonNode.Parse(Convert.FromBase64String(token))!.AsObject();
            return (Json.Long(obj["rv"]) ?? throw new FormatException("no rv"), (string)obj["start"]!);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw Status.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
