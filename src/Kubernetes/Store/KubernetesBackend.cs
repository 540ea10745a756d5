using System.Globalization;
using System.Runtime.CompilerServices;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// The <c>kubernetes</c> datastore under <see cref="TypedStore"/> (which keeps validation, the pool
/// guard and metadata in one place for every backend): the IPAM and BGP kinds are cluster-scoped
/// custom resources in routednet.io/v1, whose own resourceVersion is the revision; Node is the
/// core Node (<see cref="NodeMapping"/>); Service is the core Service with its EndpointSlices'
/// endpoints (KubernetesBackend.Service.cs); WorkloadEndpoints are not stored (routednet-node derives
/// them from the Pods on its node). The API has no multi-object transactions: one write at a time.
/// </summary>
internal sealed partial class KubernetesBackend : IStoreBackend
{
    public const string NoTransactions = "kubernetes: no multi-object transactions";

    private const string EndpointsNotStored =
        "kubernetes: WorkloadEndpoints are not stored in the Kubernetes API; routednet-node derives them from the Pods on its node";

    private readonly KubeApi _api;

    public KubernetesBackend(KubeApi api)
    {
        _api = api;
    }

    public bool SupportsTransactions => false;

    public async Task<StoredEntry?> GetAsync(string kind, string name, CancellationToken cancellationToken)
    {
        if (kind == Node.KindName)
        {
            return await GetNodeAsync(name, cancellationToken).ConfigureAwait(false);
        }
        if (kind == WorkloadEndpoint.KindName)
        {
            return null;
        }
        var (ns, objectName) = Split(kind, name);
        var json = await _api.GetAsync(ResourceOf(kind), ObjectNames.Encode(objectName), cancellationToken, ns).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }
        var entry = CustomResources.ToEntry(kind, json.Value);
        if (kind == Service.KindName)
        {
            entry = (await WithEndpointsAsync([(entry, json.Value)], ns, objectName, cancellationToken).ConfigureAwait(false))[0];
        }
        // Another logical name whose encoding is this object's name (never in practice): not ours.
        return entry.Name == name ? entry : null;
    }

    public async Task<StoredList> ListAsync(string kind, CancellationToken cancellationToken)
    {
        if (kind == Node.KindName)
        {
            return await ListNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        if (kind == WorkloadEndpoint.KindName)
        {
            return new StoredList([], 0);
        }
        var list = await _api.ListAsync(ResourceOf(kind), null, cancellationToken).ConfigureAwait(false);
        var items = list.Items.Select(item => CustomResources.ToEntry(kind, item)).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (kind == Service.KindName)
        {
            var byName = list.Items.ToDictionary(item => CustomResources.ToEntry(kind, item).Name, StringComparer.Ordinal);
            items = await WithEndpointsAsync([.. items.Select(e => (e, byName[e.Name]))], null, null, cancellationToken).ConfigureAwait(false);
        }
        return new StoredList(items, CustomResources.Revision(list.ResourceVersion, kind, "(list)"));
    }

    public async Task<long> CommitAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken)
    {
        if (ops.Count != 1)
        {
            throw new NotSupportedException(NoTransactions);
        }
        var entry = await WriteAsync(ops[0], cancellationToken).ConfigureAwait(false);
        return entry?.ModRevision ?? 0;
    }

    public async Task<StoredEntry?> WriteAsync(WriteOp op, CancellationToken cancellationToken)
    {
        if (op.Kind == Node.KindName)
        {
            return await WriteNodeAsync(op, cancellationToken).ConfigureAwait(false);
        }
        if (op.Kind == WorkloadEndpoint.KindName)
        {
            throw new NotSupportedException(EndpointsNotStored);
        }
        var resource = ResourceOf(op.Kind);
        var what = $"{op.Kind} \"{op.Name}\"";
        var (ns, objectName) = Split(op.Kind, op.Name);
        var name = ObjectNames.Encode(objectName);
        if (op.Kind == Service.KindName && op.Type != WriteOpType.Delete)
        {
            await CheckServiceEndpointsAsync(op, cancellationToken).ConfigureAwait(false);
        }
        byte[] Body(long? revision)
        {
            var body = CustomResources.ToObject(op.Kind, objectName, op.Value!, revision);
            return op.Kind == Service.KindName ? ServiceObject(body) : body;
        }
        switch (op.Type)
        {
            case WriteOpType.Create:
                var created = await _api.CreateAsync(resource, Body(null), what, cancellationToken, ns).ConfigureAwait(false);
                return CustomResources.ToEntry(op.Kind, created);
            case WriteOpType.Update:
                // Without an expected revision a PUT is unconditional; on a missing object it is 404 (CRDs never create on update).
                var replaced = await _api.ReplaceAsync(resource, name, Body(op.ExpectedRevision), what, cancellationToken, ns).ConfigureAwait(false);
                return CustomResources.ToEntry(op.Kind, replaced);
            default:
                await _api.DeleteAsync(resource, name, Format(op.ExpectedRevision), what, cancellationToken, ns).ConfigureAwait(false);
                return null;
        }
    }

    public async IAsyncEnumerable<StoredEvent> WatchAsync(string kind, long? afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (kind == Node.KindName)
        {
            await foreach (var e in WatchNodesAsync(afterRevision, cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
            yield break;
        }
        if (kind == WorkloadEndpoint.KindName)
        {
            // Nothing is stored, so nothing ever changes.
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
        var resource = ResourceOf(kind);
        var from = Format(afterRevision) ?? await _api.CurrentResourceVersionAsync(resource, null, cancellationToken).ConfigureAwait(false);
        await foreach (var e in _api.WatchAsync(resource, from, null, cancellationToken).ConfigureAwait(false))
        {
            if (e.Type == KubeWatchEventType.Bookmark)
            {
                continue;
            }
            yield return new StoredEvent(TypeOf(e.Type), CustomResources.ToEntry(kind, e.Object));
        }
    }

    public ValueTask DisposeAsync()
    {
        _api.Dispose();
        return ValueTask.CompletedTask;
    }

    private static KubeResource ResourceOf(string kind) =>
        CrdKinds.ByKind.TryGetValue(kind, out var resource) || CrdKinds.Policies.TryGetValue(kind, out resource) || CrdKinds.NativeKinds.TryGetValue(kind, out resource)
            ? resource
            : throw new NotSupportedException($"kubernetes: no storage for kind {kind}");

    // A namespaced kind's key is NAMESPACE/NAME (StoreKeys); the API wants them apart.
    private static (string? Namespace, string Name) Split(string kind, string key) =>
        CrdKinds.Namespaced.Contains(kind) ? StoreKeys.Split(key) : (null, key);

    private static string? Format(long? revision) => revision?.ToString(CultureInfo.InvariantCulture);

    private static WatchEventType TypeOf(KubeWatchEventType type) => type switch
    {
        KubeWatchEventType.Added => WatchEventType.Added,
        KubeWatchEventType.Modified => WatchEventType.Modified,
        _ => WatchEventType.Deleted,
    };
}
