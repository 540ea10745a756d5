using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>
/// The cluster's memory: typed resources keyed by kind and name, every write a compare-and-swap on
/// <see cref="ObjectMeta.ResourceVersion"/>. Safe to share between tasks; every backend (sqlite,
/// etcd, later Kubernetes CRDs) passes the same contract tests. Errors are
/// <see cref="DatastoreException"/> subtypes.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Reads one object; <see cref="ResourceNotFoundException"/> when absent.</summary>
    Task<T> GetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>Reads one object, or null when absent.</summary>
    Task<T?> TryGetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>Every object of a kind, sorted by name, and the revision to watch from afterwards.</summary>
    Task<ResourceList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>
    /// Creates the object (its resourceVersion is ignored); <see cref="ResourceAlreadyExistsException"/>
    /// when the name is taken. Returns it with resourceVersion, uid and creationTimestamp set.
    /// </summary>
    Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>
    /// Replaces the object if its resourceVersion still equals <c>resource.Metadata.ResourceVersion</c>,
    /// else <see cref="RevisionConflictException"/>; a null resourceVersion overwrites unconditionally.
    /// <see cref="ResourceNotFoundException"/> when absent. Returns it with its new resourceVersion.
    /// </summary>
    Task<T> UpdateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>
    /// Deletes the object if its resourceVersion equals <paramref name="resourceVersion"/> (null: whatever it is);
    /// <see cref="ResourceNotFoundException"/> when absent, <see cref="RevisionConflictException"/> on a mismatch.
    /// </summary>
    Task DeleteAsync<T>(string name, string? resourceVersion = null, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>
    /// Changes to a kind after <paramref name="fromResourceVersion"/> (exclusive; pass a list's
    /// <see cref="ResourceList{T}.ResourceVersion"/> or the last event's), in revision order, until
    /// cancelled; null starts from now. Resuming from the last seen event's revision loses nothing.
    /// <see cref="RevisionCompactedException"/> when that history is gone: relist and watch again.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? fromResourceVersion, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>;

    /// <summary>
    /// Whether <see cref="CommitAsync"/> applies several operations atomically (sqlite, etcd). A
    /// store without multi-object transactions (the Kubernetes API) returns false and commits only
    /// single-operation transactions; IPAM then writes in a fixed order that check and gc repair
    /// (docs/DESIGN.md, IPAM).
    /// </summary>
    bool SupportsTransactions => true;

    /// <summary>
    /// Applies every operation of <paramref name="transaction"/> atomically or none: the first failed
    /// precondition throws the same error the single operation would. Keep it to a few keys.
    /// </summary>
    Task<TransactionResult> CommitAsync(StoreTransaction transaction, CancellationToken cancellationToken = default);
}
