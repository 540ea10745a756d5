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

    /// <summary>Events of <paramref name="kind"/> with revision &gt; <paramref name="afterRevision"/> (null: from now).</summary>
    IAsyncEnumerable<StoredEvent> WatchAsync(string kind, long? afterRevision, CancellationToken cancellationToken);
}
