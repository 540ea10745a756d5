using System.Runtime.CompilerServices;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Store;

internal sealed partial class KubernetesBackend
{
    // The kubelet writes the core Node too (status, heartbeats): a write that lost to it reads again.
    private const int NodeWriteAttempts = 16;

    private async Task<StoredEntry?> GetNodeAsync(string name, CancellationToken cancellationToken)
    {
        var core = await _api.GetAsync(KubeResource.Nodes, name, cancellationToken).ConfigureAwait(false);
        return core is null ? null : NodeMapping.ToEntry(core.Value);
    }

    private async Task<StoredList> ListNodesAsync(CancellationToken cancellationToken)
    {
        var list = await _api.ListAsync(KubeResource.Nodes, null, cancellationToken).ConfigureAwait(false);
        var items = list.Items.Select(NodeMapping.ToEntry).OfType<StoredEntry>().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        return new StoredList(items, CustomResources.Revision(list.ResourceVersion, Node.KindName, "(list)"));
    }

    /// <summary>
    /// Create sets RoutedNet's annotations on the kubelet's Node (AlreadyExists when they are set,
    /// a clear NotFound when the cluster has no such Node); Update rewrites them; Delete removes
    /// them. Each is a merge patch on nodes/status carrying the core Node's resourceVersion.
    /// </summary>
    private async Task<StoredEntry?> WriteNodeAsync(WriteOp op, CancellationToken cancellationToken)
    {
        var what = $"Node \"{op.Name}\"";
        for (var attempt = 1; ; attempt++)
        {
            var core = await _api.GetAsync(KubeResource.Nodes, op.Name, cancellationToken).ConfigureAwait(false);
            if (core is null)
            {
                throw op.Type == WriteOpType.Create
                    ? new ResourceNotFoundException(
                        $"{what}: the cluster has no Node of that name; RoutedNet keeps its node fields in annotations on the Node the kubelet registers, so start the kubelet (or register the Node) first")
                    : DatastoreErrors.NotFound(Node.KindName, op.Name);
            }
            var current = NodeMapping.ToEntry(core.Value);
            var revision = CustomResources.Revision(KubeApi.ResourceVersionOf(core.Value), Node.KindName, op.Name);
            if (op.Type == WriteOpType.Create && current is not null)
            {
                throw DatastoreErrors.AlreadyExists(Node.KindName, op.Name);
            }
            if (op.Type != WriteOpType.Create && current is null)
            {
                throw DatastoreErrors.NotFound(Node.KindName, op.Name);
            }
            if (op.ExpectedRevision is { } expected && expected != revision)
            {
                throw DatastoreErrors.Conflict(Node.KindName, op.Name, expected, revision);
            }
            var patch = op.Type == WriteOpType.Delete
                ? NodeMapping.RemovePatch(core.Value, revision)
                : NodeMapping.WritePatch(op.Value!, core.Value, revision, op.Type == WriteOpType.Create);
            try
            {
                var written = await _api.MergePatchAsync(KubeResource.Nodes, op.Name, patch, "status", what, cancellationToken).ConfigureAwait(false);
                if (op.Type == WriteOpType.Delete)
                {
                    return null;
                }
                return NodeMapping.ToEntry(written) ?? throw new DatastoreUnusableException(
                    $"{what}: the API server dropped the routednet.io annotations patched through nodes/status (kube-apiserver keeps metadata written there)");
            }
            catch (RevisionConflictException) when (attempt < NodeWriteAttempts)
            {
                // The core Node changed since it was read: the next round reads it again and, if
                // the caller's expected revision is now stale, reports that conflict.
            }
        }
    }

    /// <summary>
    /// RoutedNet's Node events from the core Node watch: a Node appears (Added) when its annotations
    /// do, changes (Modified) when what RoutedNet sees of it changes (a kubelet heartbeat alone is
    /// not reported), and goes (Deleted, with its last state) when they are removed or the core
    /// Node is deleted. A watch resumed from a revision has not seen the Nodes that already
    /// existed: their first change is reported as Added, and a Node deleted before a later change
    /// of its core Node may be reported Deleted once more (from the tombstone a delete leaves);
    /// both are what a cache treats as "upsert" and "remove if present".
    /// </summary>
    private async IAsyncEnumerable<StoredEvent> WatchNodesAsync(long? afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = afterRevision?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ?? await _api.CurrentResourceVersionAsync(KubeResource.Nodes, null, cancellationToken).ConfigureAwait(false);
        // What this watch knows of each name: its last state, or null once known absent.
        var known = new Dictionary<string, StoredEntry?>(StringComparer.Ordinal);
        await foreach (var e in _api.WatchAsync(KubeResource.Nodes, from, null, cancellationToken).ConfigureAwait(false))
        {
            if (e.Type == KubeWatchEventType.Bookmark)
            {
                continue;
            }
            var name = CustomResources.String(e.Object.TryGetProperty("metadata", out var m) ? m : default, "name") ?? "";
            var revision = CustomResources.Revision(e.ResourceVersion, Node.KindName, name);
            var entry = e.Type == KubeWatchEventType.Deleted ? null : NodeMapping.ToEntry(e.Object);
            known.TryGetValue(name, out var last);
            var wasKnown = known.ContainsKey(name);
            if (entry is not null)
            {
                known[name] = entry;
                if (last is null)
                {
                    yield return new StoredEvent(WatchEventType.Added, entry);
                }
                else if (!last.Value.AsSpan().SequenceEqual(entry.Value))
                {
                    yield return new StoredEvent(WatchEventType.Modified, entry);
                }
                continue;
            }
            known[name] = null;
            if (last is not null)
            {
                yield return new StoredEvent(WatchEventType.Deleted, last with { ModRevision = revision });
            }
            else if (e.Type == KubeWatchEventType.Deleted && NodeMapping.ToEntry(e.Object) is { } final)
            {
                yield return new StoredEvent(WatchEventType.Deleted, final);
            }
            else if (!wasKnown && NodeMapping.DeletedUid(e.Object) is { } uid)
            {
                var tombstone = new Node { Metadata = new ObjectMeta { Name = name, Uid = uid } };
                yield return new StoredEvent(WatchEventType.Deleted, new StoredEntry(
                    Node.KindName, name, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(tombstone, Node.JsonTypeInfo), revision));
            }
        }
    }
}
