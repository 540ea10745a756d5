using System.Runtime.CompilerServices;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ipam.Tests.Stores;

/// <summary>
/// An <see cref="IStore"/> over a real one that can behave like the Kubernetes API (no
/// multi-object transactions: <see cref="SupportsTransactions"/> false and a commit of more than
/// one operation refused), counts the requests a client makes (reads: get and list; writes:
/// create, update, delete and commit; a watch is one long request and not counted), can "crash"
/// (every call after the Nth write throws, as if the process died there) and can hold watch
/// events back (a watch that lags behind the writes) or block updates (a write under way).
/// </summary>
internal sealed class RecordingStore(IStore inner, bool transactions) : IStore
{
    private readonly SemaphoreSlim _watchGate = new(1, 1);
    private readonly SemaphoreSlim _blockWriteGate = new(1, 1);
    private int _blockWritesHeld;
    private int _reads;
    private int _writes;
    private int _crashAfter = int.MaxValue;

    public bool SupportsTransactions => transactions;

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Lets <paramref name="writes"/> more writes through; every later call throws <see cref="SimulatedCrashException"/>.</summary>
    public void CrashAfter(int writes) => Volatile.Write(ref _crashAfter, Writes + writes);

    public void ResetCounts()
    {
        Volatile.Write(ref _reads, 0);
        Volatile.Write(ref _writes, 0);
        Volatile.Write(ref _crashAfter, int.MaxValue);
    }

    /// <summary>Watch events wait until the returned object is disposed.</summary>
    public async Task<IDisposable> HoldWatchesAsync()
    {
        await _watchGate.WaitAsync();
        return new Release(_watchGate);
    }

    /// <summary>Updates of IPAMBlocks wait (counted by <see cref="BlockWritesHeld"/>) until the returned object is disposed.</summary>
    public async Task<IDisposable> HoldBlockWritesAsync()
    {
        await _blockWriteGate.WaitAsync();
        return new Release(_blockWriteGate);
    }

    /// <summary>Block updates waiting for <see cref="HoldBlockWritesAsync"/>'s release now.</summary>
    public int BlockWritesHeld => Volatile.Read(ref _blockWritesHeld);

    public Task<T> GetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        Read();
        return inner.GetAsync<T>(name, cancellationToken);
    }

    public Task<T?> TryGetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        Read();
        return inner.TryGetAsync<T>(name, cancellationToken);
    }

    public Task<ResourceList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        Read();
        return inner.ListAsync<T>(cancellationToken);
    }

    public Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        Write();
        return inner.CreateAsync(resource, cancellationToken);
    }

    public async Task<T> UpdateAsync<T>(T resource, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        Write();
        if (resource is IPAMBlock)
        {
            Interlocked.Increment(ref _blockWritesHeld);
            await _blockWriteGate.WaitAsync(cancellationToken);
            _blockWriteGate.Release();
            Interlocked.Decrement(ref _blockWritesHeld);
        }
        return await inner.UpdateAsync(resource, cancellationToken);
    }

    public Task DeleteAsync<T>(string name, string? resourceVersion = null, CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        Write();
        return inner.DeleteAsync<T>(name, resourceVersion, cancellationToken);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? fromResourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : Resource, IResourceKind<T>
    {
        await foreach (var change in inner.WatchAsync<T>(fromResourceVersion, cancellationToken))
        {
            await _watchGate.WaitAsync(cancellationToken);
            _watchGate.Release();
            yield return change;
        }
    }

    public Task<TransactionResult> CommitAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!transactions && transaction.Count > 1)
        {
            throw new NotSupportedException("test store: no multi-object transactions");
        }
        Write();
        return inner.CommitAsync(transaction, cancellationToken);
    }

    /// <summary>The inner store belongs to whoever opened it (TempStore).</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Read()
    {
        if (Writes >= Volatile.Read(ref _crashAfter))
        {
            throw new SimulatedCrashException();
        }
        Interlocked.Increment(ref _reads);
    }

    private void Write()
    {
        if (Writes >= Volatile.Read(ref _crashAfter))
        {
            throw new SimulatedCrashException();
        }
        Interlocked.Increment(ref _writes);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
