using System.Runtime.CompilerServices;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Validation;

namespace RoutedNet.Datastore;

/// <summary>
/// <see cref="IStore"/> over any <see cref="IStoreBackend"/>: JSON, metadata (uid, creation time,
/// resourceVersion), validation on write, and mapping every write to one backend commit.
/// </summary>
internal sealed class TypedStore : IStore
{
    private const int OverwriteAttempts = 32;

    private readonly IStoreBackend _backend;
    private readonly TimeProvider _time;

    public TypedStore(IStoreBackend backend, TimeProvider? time = null)
    {
        _backend = backend;
        _time = time ?? TimeProvider.System;
    }

    public bool SupportsTransactions => _backend.SupportsTransactions;

    public async Task<T> GetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> =>
        await TryGetAsync<T>(name, cancellationToken).ConfigureAwait(false) ?? throw DatastoreErrors.NotFound(T.KindName, name);

    public async Task<T?> TryGetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        var entry = await _backend.GetAsync(T.KindName, name, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : TypedCodec<T>.Read(entry.Value, entry.ModRevision, name);
    }

    public async Task<ResourceList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        var list = await _backend.ListAsync(T.KindName, cancellationToken).ConfigureAwait(false);
        // One object that no longer decodes is skipped and named, not fatal for its kind: before,
        // it stopped every agent from listing (and so from routing) a whole kind.
        var items = new List<T>(list.Items.Count);
        List<UndecodableResource>? undecodable = null;
        foreach (var entry in list.Items)
        {
            try
            {
                items.Add(TypedCodec<T>.Read(entry.Value, entry.ModRevision, entry.Name));
            }
            catch (ResourceValidationException e)
            {
                (undecodable ??= []).Add(new UndecodableResource(T.KindName, entry.Name, e.Message));
            }
        }
        return new ResourceList<T>(items, ResourceVersions.Format(list.Revision)) { Undecodable = undecodable ?? [] };
    }

    public async Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        var result = await CommitAsync(new StoreTransaction().Create(resource), cancellationToken).ConfigureAwait(false);
        return (T)result.Results[0]!;
    }

    public async Task<T> UpdateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        if (resource.Metadata.ResourceVersion is not null)
        {
            var result = await CommitAsync(new StoreTransaction().Update(resource), cancellationToken).ConfigureAwait(false);
            return (T)result.Results[0]!;
        }
        // An unconditional overwrite (routednetctl apply) still keeps the object's identity: read,
        // carry uid and creation time over, then CAS on what was read; a racing writer just means
        // another round, and a key that never stops changing ends in the last conflict.
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync<T>(StoreKeys.Of(resource), cancellationToken).ConfigureAwait(false);
            var replacement = (T)(resource with
            {
                Metadata = resource.Metadata with
                {
                    ResourceVersion = current.Metadata.ResourceVersion,
                    Uid = current.Metadata.Uid,
                    CreationTimestamp = current.Metadata.CreationTimestamp,
                },
            });
            try
            {
                var result = await CommitAsync(new StoreTransaction().Update(replacement), cancellationToken).ConfigureAwait(false);
                return (T)result.Results[0]!;
            }
            catch (RevisionConflictException) when (attempt < OverwriteAttempts)
            {
                // someone wrote in between: read again
            }
        }
    }

    public Task DeleteAsync<T>(string name, string? resourceVersion = null, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> =>
        CommitAsync(new StoreTransaction().Delete<T>(name, resourceVersion), cancellationToken);

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string? fromResourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        var after = ResourceVersions.Parse(fromResourceVersion);
        await foreach (var e in _backend.WatchAsync(T.KindName, after, cancellationToken).ConfigureAwait(false))
        {
            // As a list would: an object that does not decode is absent (a new one is not
            // announced, a changed or deleted one is gone), and the next list names it.
            var value = TryRead<T>(e.Entry);
            if (value is not null)
            {
                yield return new WatchEvent<T>(e.Type, value);
            }
            else if (e.Type != WatchEventType.Added)
            {
                yield return new WatchEvent<T>(WatchEventType.Deleted, TypedCodec<T>.NameOnly(e.Entry.Name, e.Entry.ModRevision));
            }
        }
    }

    public async Task<TransactionResult> CommitAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Count == 0)
        {
            throw new ArgumentException("empty transaction", nameof(transaction));
        }
        var now = _time.GetUtcNow();
        var writes = new List<WriteOp>(transaction.Count);
        var stamped = new List<Resource?>(transaction.Count);
        foreach (var op in transaction.Ops)
        {
            ResourceValidator.ValidateKey(op.Kind, op.Name, op.Codec.Namespaced);
            var resource = op.Resource is null ? null : Normalize(Stamp(op, op.Resource, now));
            if (resource is not null)
            {
                ResourceValidator.Validate(resource);
            }
            stamped.Add(resource);
            writes.Add(new WriteOp(op.Type, op.Kind, op.Name, resource is null ? null : op.Codec.Serialize(resource), ResourceVersions.Parse(op.ResourceVersion)));
        }
        writes.AddRange(await CheckPoolsAsync(transaction.Ops, stamped, cancellationToken).ConfigureAwait(false));
        if (!_backend.SupportsTransactions)
        {
            return await CommitOneByOneAsync(transaction, writes, cancellationToken).ConfigureAwait(false);
        }

        var revision = await _backend.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
        var version = ResourceVersions.Format(revision);
        var results = stamped
            .Select(r => r is null ? null : r with { Metadata = r.Metadata with { ResourceVersion = version } })
            .ToList();
        return new TransactionResult(results, version);
    }

    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    // Without transactions only a single-op commit is possible (the backend refuses more, naming
    // itself). A pool delete's extra writes (its empty blocks and their affinities, each with CAS)
    // go first: if the pool delete then fails, only empty blocks are gone, which IPAM makes again.
    private async Task<TransactionResult> CommitOneByOneAsync(StoreTransaction transaction, List<WriteOp> writes, CancellationToken cancellationToken)
    {
        if (transaction.Count > 1)
        {
            await _backend.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
            throw new NotSupportedException("the datastore has no multi-object transactions");
        }
        foreach (var extra in writes.Skip(1))
        {
            await _backend.WriteAsync(extra, cancellationToken).ConfigureAwait(false);
        }
        var entry = await _backend.WriteAsync(writes[0], cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return new TransactionResult([null], "");
        }
        var version = ResourceVersions.Format(entry.ModRevision);
        var written = transaction.Ops[0].Codec.Deserialize(entry.Value);
        return new TransactionResult([written with { Metadata = written.Metadata with { ResourceVersion = version } }], version);
    }

    private static T? TryRead<T>(StoredEntry entry)
        where T : Resource, IResourceKind<T>
    {
        try
        {
            return TypedCodec<T>.Read(entry.Value, entry.ModRevision, entry.Name);
        }
        catch (ResourceValidationException)
        {
            return null;
        }
    }

    private static Resource Stamp(TransactionOp op, Resource resource, DateTimeOffset now) => op.Type == WriteOpType.Create
        ? resource with
        {
            Metadata = resource.Metadata with
            {
                Uid = Guid.NewGuid().ToString(),
                CreationTimestamp = now,
                ResourceVersion = null,
            },
        }
        : resource;

    // What the API server adds on every write, so that every datastore shows the same object: a
    // Namespace carries its own name as the label kubernetes.io/metadata.name (namespaceSelectors
    // use it, e.g. the upstream "default ns label" cases).
    private static Resource Normalize(Resource resource)
    {
        if (resource is Namespace ns
            && (ns.Metadata.Labels is null || !ns.Metadata.Labels.TryGetValue(Namespace.NameLabel, out var value) || value != ns.Name))
        {
            var labels = new Dictionary<string, string>(ns.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [Namespace.NameLabel] = ns.Name,
            };
            return ns with { Metadata = ns.Metadata with { Labels = labels } };
        }
        return resource;
    }

    // Overlap needs the other pools, and a pool in use its blocks; two pools created at the very
    // same moment by two writers can still both pass (as with Calico's check): pools are
    // operator-made, not raced by CNI. Returns the extra writes of a pool deletion (PoolGuard).
    private async Task<List<WriteOp>> CheckPoolsAsync(IReadOnlyList<TransactionOp> ops, List<Resource?> written, CancellationToken cancellationToken)
    {
        if (!ops.Any(o => o.Kind == IPPool.KindName))
        {
            return [];
        }
        var existing = (await ListAsync<IPPool>(cancellationToken).ConfigureAwait(false)).Items;
        var pools = written.OfType<IPPool>().ToList();
        // Pools this transaction writes or deletes are judged by their new state only.
        var touched = ops.Where(o => o.Kind == IPPool.KindName).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var others = existing.Where(p => !touched.Contains(p.Name)).Concat(pools).ToList();
        foreach (var pool in pools)
        {
            ResourceValidator.CheckNoOverlap(pool, others);
        }
        var blocks = (await ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        var affinities = ops.Any(o => o.Kind == IPPool.KindName && o.Type == WriteOpType.Delete)
            ? (await ListAsync<BlockAffinity>(cancellationToken).ConfigureAwait(false)).Items
            : [];
        return PoolGuard.Check(ops, existing, blocks, affinities);
    }
}
