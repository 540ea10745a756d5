using System.Globalization;
using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Storage;

/// <summary>
/// Every object, in memory, under one lock and one global resourceVersion counter (etcd's
/// revision). Handlers take <see cref="Gate"/> around read-check-write sequences so an RV check and
/// the write it guards are atomic, then call <see cref="Put"/>/<see cref="Remove"/>, which assign
/// the next RV, append to the resource's bounded history and fan the event out to its watches.
/// </summary>
public sealed partial class ObjectStore
{
    private readonly Dictionary<string, ResourceTable> _tables = new(StringComparer.Ordinal);
    private readonly int _historyWindow;
    private long _rv;

    public ObjectStore(int historyWindow) => _historyWindow = historyWindow;

    public Lock Gate { get; } = new();

    public long CurrentRv
    {
        get
        {
            lock (Gate)
            {
                return _rv;
            }
        }
    }

    public static string KeyOf(string? ns, string name) => ns is null ? name : ns + "/" + name;

    public static string Format(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    private ResourceTable Table(ResourceType type)
    {
        if (!_tables.TryGetValue(type.Key, out var table))
        {
            table = new ResourceTable();
            _tables[type.Key] = table;
        }
        return table;
    }

    /// <summary>The stored object itself (callers hold <see cref="Gate"/> and never mutate it).</summary>
    public JsonObject? Peek(ResourceType type, string key) =>
        Table(type).Objects.TryGetValue(key, out var obj) ? obj : null;

    /// <summary>The stored objects of <paramref name="type"/> (callers hold <see cref="Gate"/>, read only).</summary>
    public IEnumerable<JsonObject> Objects(ResourceType type, string? ns = null) =>
        ns is null
            ? Table(type).Objects.Values
            : Table(type).Objects.Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal)).Select(p => p.Value);

    public JsonObject? Get(ResourceType type, string key)
    {
        lock (Gate)
        {
            return Peek(type, key)?.DeepClone() as JsonObject;
        }
    }

    /// <summary>Stores <paramref name="obj"/> (now owned by the store) at the next RV; returns a copy.</summary>
    public JsonObject Put(ResourceType type, string key, JsonObject obj)
    {
        var table = Table(type);
        var rv = ++_rv;
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = Format(rv);
        table.Objects.TryGetValue(key, out var previous);
        table.Objects[key] = obj;
        Record(table, new StoredEvent(rv, previous is null ? "ADDED" : "MODIFIED", key, obj, previous));
        return (JsonObject)obj.DeepClone();
    }

    /// <summary>Removes the object; returns its final state, carrying the deletion's RV.</summary>
    public JsonObject Remove(ResourceType type, string key)
    {
        var table = Table(type);
        var previous = table.Objects[key];
        table.Objects.Remove(key);
        var final = (JsonObject)previous.DeepClone();
        var rv = ++_rv;
        ((JsonObject)final["metadata"]!)["resourceVersion"] = Format(rv);
        Record(table, new StoredEvent(rv, "DELETED", key, final, previous));
        return (JsonObject)final.DeepClone();
    }

    /// <summary>Removes every object of <paramref name="type"/> (in <paramref name="ns"/> when set).</summary>
    public void RemoveAll(ResourceType type, string? ns)
    {
        var table = Table(type);
        foreach (var key in table.Objects.Keys.Where(k => ns is null || k.StartsWith(ns + "/", StringComparison.Ordinal)).ToList())
        {
            Remove(type, key);
        }
    }

    private void Record(ResourceTable table, StoredEvent ev)
    {
        table.History.Add(ev);
        if (table.History.Count > _historyWindow)
        {
            var drop = table.History.Count - _historyWindow;
            table.CompactedRv = table.History[drop - 1].Rv;
            table.History.RemoveRange(0, drop);
        }
        foreach (var watcher in table.Watchers)
        {
            watcher.Offer(ev);
        }
    }
}
