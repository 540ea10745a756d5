using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Selectors;

namespace RoutedNet.KubeApiServer.Storage;

/// <summary>
/// One open watch. The store fills <see cref="Events"/> under its lock, so every watch sees the
/// changes in resourceVersion order; the HTTP side drains it, one whole event per write.
/// </summary>
public sealed class Watcher
{
    private readonly Channel<byte[]> _events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public required ResourceType Type { get; init; }
    public string? Namespace { get; init; }
    public required LabelSelector Labels { get; init; }
    public required FieldSelector Fields { get; init; }
    public bool Bookmarks { get; init; }

    public ChannelReader<byte[]> Events => _events.Reader;

    public bool Matches(JsonObject? obj) =>
        obj is not null
        && (Namespace is null || (string?)obj["metadata"]?["namespace"] == Namespace)
        && Labels.Matches(obj)
        && Fields.Matches(obj);

    /// <summary>Sends <paramref name="ev"/> as this watch sees it (a selector may turn MODIFIED into ADDED or DELETED).</summary>
    public void Offer(StoredEvent ev)
    {
        var now = Matches(ev.Object);
        var before = ev.Previous is not null && Matches(ev.Previous);
        string? type = ev.Type switch
        {
            "ADDED" => now ? "ADDED" : null,
            "DELETED" => now || before ? "DELETED" : null,
            _ => (now, before) switch
            {
                (true, true) => "MODIFIED",
                (true, false) => "ADDED",
                (false, true) => "DELETED",
                _ => null,
            },
        };
        if (type is not null)
        {
            Send(type, ev.Object);
        }
    }

    public void Send(string type, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (type != "ERROR")
        {
            copy["apiVersion"] = Type.ApiVersion;
        }
        var line = Api.Json.Text(new JsonObject { ["type"] = type, ["object"] = copy }) + "\n";
        _events.Writer.TryWrite(Encoding.UTF8.GetBytes(line));
    }

    public void SendBookmark(long rv, bool initialEventsEnd = false)
    {
        var metadata = new JsonObject { ["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        Send("BOOKMARK", new JsonObject { ["kind"] = Type.Kind, ["apiVersion"] = Type.ApiVersion, ["metadata"] = metadata });
    }

    /// <summary>Ends the stream (the client sees a clean end of the chunked response).</summary>
    public void Close() => _events.Writer.TryComplete();
}
