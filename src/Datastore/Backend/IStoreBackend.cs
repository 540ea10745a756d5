namespace RoutedNet.Datastore.Backend;

/// <summary>
/// What a backend must provide: opaque JSON values under (kind, name), a global revision that
/// grows with every commit, atomic multi-key commits with preconditions, and a watch that replays
/// history after a revision. Typing, validation and metadata are done once, above, in
/// <see cref="TypedStore"/>.
/// </summary>
internal interface IStoreBackend : IAsyncDisposable
{
    Task<StoredEntry?> GetAsync(string kind, string name, CancellationToken cancellationToken);

    Task<StoredList> ListAsync(string kind, CancellationToken cancellationToken);

    /// <summary>
    /// All or nothing; returns the commit's revision. Throws the typed error of the first failed
    /// precondition (AlreadyExists, NotFound, Conflict) or <see cref="DatastoreUnavailableException"/>.
    /// </summary>
    Task<long> CommitAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="CommitAsync"/> takes several ops atomically. A backend that does not (the
    /// Kubernetes API) commits one op at a time through <see cref="WriteAsync"/>.
    /// </summary>
    bool SupportsTransactions => true;

    /// <summary>
    /// One write, for backends without transactions: returns the object as stored, whose metadata
    /// the server may have set (uid, creationTimestamp); null for a delete.
    /// </summary>
    Task<StoredEntry?> WriteAsync(WriteOp op, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this backend commits through CommitAsync");

    /// <summary>Events of <paramref name="kind"/> with revision &gt; <paramref name="afterRevision"/> (null: from now).</summary>
    IAsyncEnumerable<StoredEvent> WatchAsync(string kind, long? afterRevision, CancellationToken cancellationToken);
}
