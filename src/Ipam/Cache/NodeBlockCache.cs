using System.Collections.Concurrent;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam.Cache;

/// <summary>
/// What one node's allocations read, kept in memory by watches: the node's own blocks and block
/// affinities, every IP pool and the IPAM settings; plus the handles this process wrote. An
/// <see cref="IpamClient"/> given this cache allocates from a block it already owns with two
/// writes (handle, block) and no read, and releases with two writes: the figure the issue asks of
/// the node agent on the Kubernetes API, where every read is an API request.
/// Nothing here is trusted for correctness: every write is still a compare-and-swap on the
/// resourceVersion held here, and a conflict re-reads just that object from the store. Before the
/// first lists are in (or while a watch is being re-established after an error), lookups report
/// "not known" and the client reads the store as it does without a cache.
/// One cache per node agent, shared by all its concurrent requests.
/// </summary>
public sealed partial class NodeBlockCache : IAsyncDisposable
{
    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IPAMBlock> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlockAffinity> _affinities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPPool> _poolsByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IPAMHandle> _handles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _blockLocks = new(StringComparer.Ordinal);
    private IPAMConfigSpec? _config;
    private IReadOnlyList<PoolView> _pools = [];
    private bool _blocksSynced;
    private bool _affinitiesSynced;
    private bool _poolsSynced;
    private bool _configSynced;

    public NodeBlockCache(IStore store, string node, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(node);
        _store = store;
        Node = node;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The node whose blocks and affinities are kept.</summary>
    public string Node { get; }

    /// <summary>Whether every kind has been listed and its watch is running.</summary>
    public bool IsSynced
    {
        get
        {
            lock (_gate)
            {
                return _blocksSynced && _affinitiesSynced && _poolsSynced && _configSynced;
            }
        }
    }

    /// <summary>
    /// Lists the four kinds and starts watching them from the lists' revisions; returns once every
    /// kind was listed once (the watches go on until disposal).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loops.Count > 0)
        {
            throw new InvalidOperationException("the IPAM cache was already started");
        }
        var listed = new[] { NewSignal(), NewSignal(), NewSignal(), NewSignal() };
        _loops.Add(FollowAsync<IPAMBlock>(ReplaceBlocks, ApplyBlock, s => SetSynced(ref _blocksSynced, s), listed[0]));
        _loops.Add(FollowAsync<BlockAffinity>(ReplaceAffinities, ApplyAffinity, s => SetSynced(ref _affinitiesSynced, s), listed[1]));
        _loops.Add(FollowAsync<IPPool>(ReplacePools, ApplyPool, s => SetSynced(ref _poolsSynced, s), listed[2]));
        _loops.Add(FollowAsync<IPAMConfig>(ReplaceConfig, ApplyConfig, s => SetSynced(ref _configSynced, s), listed[3]));
        await Task.WhenAll(listed.Select(l => l.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    internal bool TryGetConfig(out IPAMConfigSpec? config)
    {
        lock (_gate)
        {
            config = _config;
            return _configSynced;
        }
    }

    internal bool TryGetPools(out IReadOnlyList<PoolView> pools)
    {
        lock (_gate)
        {
            pools = _pools;
            return _poolsSynced;
        }
    }

    /// <summary>The node's affinities (every state), when known.</summary>
    internal bool TryGetAffinities(out IReadOnlyList<BlockAffinity> affinities)
    {
        lock (_gate)
        {
            affinities = _affinitiesSynced ? _affinities.Values.ToArray() : [];
            return _affinitiesSynced;
        }
    }

    /// <summary>One of the node's blocks as last seen, or null (not the node's, or not known yet).</summary>
    internal IPAMBlock? GetBlock(string name)
    {
        lock (_gate)
        {
            return _blocksSynced ? _blocks.GetValueOrDefault(name) : null;
        }
    }

    /// <summary>The node's blocks as last seen (empty until listed).</summary>
    internal IReadOnlyList<IPAMBlock> Blocks()
    {
        lock (_gate)
        {
            return _blocksSynced ? _blocks.Values.ToArray() : [];
        }
    }

    /// <summary>A block as this process just wrote or read it.</summary>
    internal void Put(IPAMBlock block)
    {
        lock (_gate)
        {
            Keep(block);
        }
    }

    /// <summary>An affinity as this process just wrote or read it.</summary>
    internal void Put(BlockAffinity affinity)
    {
        lock (_gate)
        {
            Keep(affinity);
        }
    }

    internal void ForgetBlock(string name)
    {
        lock (_gate)
        {
            _blocks.Remove(name);
        }
    }

    internal void ForgetAffinity(string name)
    {
        lock (_gate)
        {
            _affinities.Remove(name);
        }
    }

    /// <summary>A handle as this process last wrote it (handles have no watch: the agent wrote them).</summary>
    internal IPAMHandle? GetHandle(string handleId) => _handles.GetValueOrDefault(handleId);

    internal void Put(IPAMHandle handle) => _handles[handle.Metadata.Name] = handle;

    internal void ForgetHandle(string handleId) => _handles.TryRemove(handleId, out _);

    /// <summary>
    /// Serialises this process's writes to one block: concurrent requests of the node would
    /// otherwise read the same cached revision and all but one lose the CAS (and re-read).
    /// </summary>
    internal async Task<IDisposable> LockBlockAsync(string name, CancellationToken cancellationToken)
    {
        var gate = _blockLocks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(gate);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SetSynced(ref bool flag, bool value)
    {
        lock (_gate)
        {
            flag = value;
        }
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
