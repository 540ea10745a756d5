using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Tests.IpamDriver;

/// <summary>
/// A store as the Kubernetes API is (no multi-object transactions) over sqlite or etcd, so that
/// IpamClient's sequential mode can be killed mid-write without the stand-in API server.
/// </summary>
public sealed class NoTransactionsStore(IStore inner) : IStore
{
    public bool SupportsTransactions => false;

    public Task<T> GetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.GetAsync<T>(name, cancellationToken);

    public Task<T?> TryGetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.TryGetAsync<T>(name, cancellationToken);

    public Task<ResourceList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.ListAsync<T>(cancellationToken);

    public Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.CreateAsync(resource, cancellationToken);

    public Task<T> UpdateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.UpdateAsync(resource, cancellationToken);

    public Task DeleteAsync<T>(string name, string? resourceVersion = null, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.DeleteAsync<T>(name, resourceVersion, cancellationToken);

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? fromResourceVersion, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T> => inner.WatchAsync<T>(fromResourceVersion, cancellationToken);

    public Task<TransactionResult> CommitAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Count > 1
            ? throw new NotSupportedException("driver: no multi-object transactions")
            : inner.CommitAsync(transaction, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
