using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Storage;

public sealed partial class ObjectStore
{
    private const string WatchTooOld = "The resourceVersion for the provided watch is too old.";

    /// <summary>
    /// Opens a watch. No RV (or "0"): the current objects arrive first as ADDED, as kube-apiserver's
    /// "get state and start at most recent". An RV: the history after it is replayed; an RV that
    /// left the history window is 410 Expired as the HTTP status (the in-stream form comes from
    /// <see cref="Compact"/> while a watch is open).
    /// </summary>
    public Watcher Watch(Watcher watcher, string? resourceVersion, bool sendInitialEvents)
    {
        lock (Gate)
        {
            var table = Table(watcher.Type);
            var fromScratch = string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0" || sendInitialEvents;
            if (fromScratch)
            {
                foreach (var obj in table.Objects.Values.Where(watcher.Matches))
                {
                    watcher.Send("ADDED", obj);
                }
                if (sendInitialEvents)
                {
                    watcher.SendBookmark(_rv, initialEventsEnd: true);
                }
            }
            else
            {
                var from = ParseRv(resourceVersion!);
                if (from > _rv)
                {
                    throw TooLarge(from);
                }
                if (from < table.CompactedRv)
                {
                    throw Status.Expired($"too old resource version: {from} ({table.CompactedRv})");
                }
                foreach (var ev in table.History.Where(e => e.Rv > from))
                {
                    watcher.Offer(ev);
                }
            }
            table.Watchers.Add(watcher);
            return watcher;
        }
    }

    public void Unwatch(Watcher watcher)
    {
        lock (Gate)
        {
            Table(watcher.Type).Watchers.Remove(watcher);
        }
    }

    /// <summary>Sends a BOOKMARK at the current RV to every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (Gate)
        {
            foreach (var watcher in _tables.Values.SelectMany(t => t.Watchers).Where(w => w.Bookmarks))
            {
                watcher.SendBookmark(_rv);
            }
        }
    }

    /// <summary>
    /// Drops every resource's history (etcd compaction at the current revision): a watch or
    /// continue token from an older RV gets 410. With <paramref name="expireWatches"/> each open
    /// watch receives an in-stream ERROR event with a 410 Status and ends, as a watch does when
    /// its position is compacted away under it.
    /// </summary>
    public void Compact(bool expireWatches)
    {
        lock (Gate)
        {
            foreach (var table in _tables.Values)
            {
                table.History.Clear();
                table.CompactedRv = _rv;
                if (expireWatches)
                {
                    foreach (var watcher in table.Watchers)
                    {
                        watcher.Send("ERROR", Status.Failure(410, "Expired", WatchTooOld, null));
                        watcher.Close();
                    }
                    table.Watchers.Clear();
                }
            }
        }
    }

    /// <summary>Ends open watches (of <paramref name="resourceKey"/> when set) without an error event.</summary>
    public int DropWatches(string? resourceKey)
    {
        lock (Gate)
        {
            var count = 0;
            foreach (var (key, table) in _tables)
            {
                if (resourceKey is not null && key != resourceKey)
                {
                    continue;
                }
                foreach (var watcher in table.Watchers)
                {
                    watcher.Close();
                    count++;
                }
                table.Watchers.Clear();
            }
            return count;
        }
    }

    /// <summary>A CRD's resource went away: its watches end, its objects and history are gone.</summary>
    public void DropResource(ResourceType type)
    {
        lock (Gate)
        {
            RemoveAll(type, null);
            var table = Table(type);
            foreach (var watcher in table.Watchers)
            {
                watcher.Close();
            }
            _tables.Remove(type.Key);
        }
    }

    public static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();
}
