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
    /// Node is deleted. What each Node was at the starting revision comes from a list at exactly
    /// that revision, so a resumed watch tells these apart as exactly as a fresh one.
    /// </summary>
    private async IAsyncEnumerable<StoredEvent> WatchNodesAsync(long? afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = await _api.ListAsync(KubeResource.Nodes, null, cancellationToken,
            exactResourceVersion: afterRevision?.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        // What this watch knows of each name: its last state, or null when absent.
        var known = new Dictionary<string, StoredEntry?>(StringComparer.Ordinal);
        foreach (var core in start.Items)
        {
            var entry = NodeMapping.ToEntry(core);
            if (entry is not null)
            {
                known[entry.Name] = entry;
            }
        }
        await foreach (var e in _api.WatchAsync(KubeResource.Nodes, start.ResourceVersion, null, cancellationToken).ConfigureAwait(false))
        {
            if (e.Type == KubeWatchEventType.Bookmark)
            {
                continue;
            }
            var name = CustomResources.String(e.Object.TryGetProperty("metadata", out var m) ? m : default, "name") ?? "";
            var entry = NodeMapping.ToEntry(e.Object);
            known.TryGetValue(name, out var last);
            if (e.Type == KubeWatchEventType.Deleted || entry is null)
            {
                known.Remove(name);
                if (last is not null)
                {
                    // The last state RoutedNet had, at the revision it went (as a deletion event carries).
                    var gone = entry ?? last;
                    yield return new StoredEvent(WatchEventType.Deleted, gone with { ModRevision = CustomResources.Revision(e.ResourceVersion, Node.KindName, name) });
                }
                continue;
            }
            known[name] = entry;
            if (last is null)
            {
                yield return new StoredEvent(WatchEventType.Added, entry);
            }
            else if (!last.Value.AsSpan().SequenceEqual(entry.Value))
            {
                yield return new StoredEvent(WatchEventType.Modified, entry);
            }
        }
    }
}
