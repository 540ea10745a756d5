using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Store;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Kubernetes;

/// <summary>
/// Watches on the kubernetes datastore: resumed from a resourceVersion when the server ends the
/// stream, bookmarks as resume points that are not events, and history that is gone (410 as the
/// HTTP status or as an in-stream ERROR event) making the reader list again without losing or
/// repeating a change. The stand-in's /routednet-test/ controls end streams and compact history.
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesWatchTests(KubeStoreFixture kube) : IAsyncLifetime
{
    // An upper bound for a failing watch, not a speed requirement.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IStore _store = null!;

    public async Task InitializeAsync()
    {
        await kube.WipeAsync();
        _store = await kube.OpenAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Watch_ServerEndsTheStream_ResumesFromTheLastEventWithoutLossOrRepeat()
    {
        var start = (await _store.ListAsync<IPPool>()).ResourceVersion;
        using var cts = new CancellationTokenSource(Timeout);
        await using var watch = _store.WatchAsync<IPPool>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        await _store.CreateAsync(KubernetesStoreTests.Pool("p1", "10.1.0.0/16"));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("p1", watch.Current.Object.Name);

        await kube.Server.DropWatchesAsync();
        await _store.CreateAsync(KubernetesStoreTests.Pool("p2", "10.2.0.0/16"));
        await _store.DeleteAsync<IPPool>("p1");

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal((WatchEventType.Added, "p2"), (watch.Current.Type, watch.Current.Object.Name));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal((WatchEventType.Deleted, "p1"), (watch.Current.Type, watch.Current.Object.Name));
    }

    [Fact]
    public async Task Watch_FromACompactedVersion_Http410IsCompacted()
    {
        var old = (await _store.ListAsync<IPPool>()).ResourceVersion;
        await _store.CreateAsync(KubernetesStoreTests.Pool("p1", "10.1.0.0/16"));
        await kube.Server.CompactAsync();
        using var cts = new CancellationTokenSource(Timeout);

        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var _ in _store.WatchAsync<IPPool>(old, cts.Token))
            {
            }
        });
    }

    [Fact]
    public async Task Watch_CompactedWhileOpen_InStream410IsCompacted()
    {
        var start = (await _store.ListAsync<IPPool>()).ResourceVersion;
        using var cts = new CancellationTokenSource(Timeout);
        await using var watch = _store.WatchAsync<IPPool>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        await _store.CreateAsync(KubernetesStoreTests.Pool("p1", "10.1.0.0/16"));
        Assert.True(await watch.MoveNextAsync());

        var next = watch.MoveNextAsync().AsTask();
        await kube.Server.CompactAsync(expireWatches: true);

        await Assert.ThrowsAsync<RevisionCompactedException>(() => next);
    }

    [Fact]
    public async Task Watch_Bookmarks_AreNotEvents()
    {
        var start = (await _store.ListAsync<IPPool>()).ResourceVersion;
        using var cts = new CancellationTokenSource(Timeout);
        await using var watch = _store.WatchAsync<IPPool>(start, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await _store.CreateAsync(new IPAMConfig { Metadata = new ObjectMeta { Name = "other-kind" } });
        await kube.Server.SendBookmarksAsync();

        await _store.CreateAsync(KubernetesStoreTests.Pool("p1", "10.1.0.0/16"));

        Assert.True(await next);
        Assert.Equal((WatchEventType.Added, "p1"), (watch.Current.Type, watch.Current.Object.Name));
    }

    [Fact]
    public async Task ApiWatch_Bookmark_IsTheResumePointPastACompaction()
    {
        using var api = kube.Api();
        var pools = CrdKinds.ByKind[IPPool.KindName];
        var start = await api.CurrentResourceVersionAsync(pools, null, CancellationToken.None);
        using var cts = new CancellationTokenSource(Timeout);
        await using var watch = api.WatchAsync(pools, start, null, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        // Other kinds move the cluster's resourceVersion on; this watch sees none of it...
        await _store.CreateAsync(new IPAMConfig { Metadata = new ObjectMeta { Name = "other-kind" } });
        await kube.Server.SendBookmarksAsync();

        // ...until a bookmark tells it where it stands.
        Assert.True(await next);
        Assert.Equal(KubeWatchEventType.Bookmark, watch.Current.Type);
        Assert.NotEqual(start, watch.Current.ResourceVersion);

        // History up to now is gone and the stream ends: resuming from the bookmark needs none of it.
        await kube.Server.CompactAsync(expireWatches: false);
        await kube.Server.DropWatchesAsync();
        await _store.CreateAsync(KubernetesStoreTests.Pool("p1", "10.1.0.0/16"));

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(KubeWatchEventType.Added, watch.Current.Type);
        Assert.Equal("p1", watch.Current.Object.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Cache_410WhileWatching_RelistsWithoutLosingOrRepeatingAChange()
    {
        await _store.CreateAsync(KubernetesStoreTests.Pool("p0", "10.0.0.0/16"));
        await using var cache = await PoolCache.StartAsync(_store);
        await _store.CreateAsync(KubernetesStoreTests.Pool("p1", "10.1.0.0/16"));
        await Eventually.Until(() => cache.Has("p1"), "the cache sees p1");

        await kube.Server.CompactAsync(expireWatches: true);
        await _store.CreateAsync(KubernetesStoreTests.Pool("p2", "10.2.0.0/16"));
        await Eventually.Until(() => cache.Relists >= 1, "the cache lists again after the 410");
        var p1 = await _store.GetAsync<IPPool>("p1");
        await _store.UpdateAsync(p1 with { Spec = p1.Spec with { Disabled = true } });
        await _store.DeleteAsync<IPPool>("p0");
        await _store.CreateAsync(KubernetesStoreTests.Pool("p3", "10.3.0.0/16"));

        var stored = (await _store.ListAsync<IPPool>()).Items.ToDictionary(p => p.Name, p => p.Metadata.ResourceVersion);
        await Eventually.Until(() => cache.Snapshot().SequenceEqual(stored.OrderBy(p => p.Key, StringComparer.Ordinal)), "the cache equals the store");
        Assert.Empty(cache.Repeated);
    }

    /// <summary>
    /// A reader as the agent's caches read: list, watch from the list's version, list again on
    /// <see cref="RevisionCompactedException"/>. Records an Added for a name it already holds at
    /// the same or a newer version (a repeated change).
    /// </summary>
    private sealed class PoolCache : IAsyncDisposable
    {
        private readonly IStore _store;
        private readonly Dictionary<string, IPPool> _pools = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private int _relists;

        private PoolCache(IStore store) => _store = store;

        public int Relists => Volatile.Read(ref _relists);

        public List<string> Repeated { get; } = [];

        public static async Task<PoolCache> StartAsync(IStore store)
        {
            var cache = new PoolCache(store);
            var version = await cache.ListAsync();
            cache._loop = Task.Run(() => cache.RunAsync(version));
            return cache;
        }

        public bool Has(string name)
        {
            lock (_gate)
            {
                return _pools.ContainsKey(name);
            }
        }

        public List<KeyValuePair<string, string?>> Snapshot()
        {
            lock (_gate)
            {
                return [.. _pools.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value.Metadata.ResourceVersion))];
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
            _stop.Dispose();
        }

        private async Task<string> ListAsync()
        {
            var list = await _store.ListAsync<IPPool>(_stop.Token);
            lock (_gate)
            {
                _pools.Clear();
                foreach (var pool in list.Items)
                {
                    _pools[pool.Name] = pool;
                }
            }
            return list.ResourceVersion;
        }

        private async Task RunAsync(string version)
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await foreach (var e in _store.WatchAsync<IPPool>(version, _stop.Token))
                    {
                        Apply(e);
                        version = e.ResourceVersion;
                    }
                }
                catch (RevisionCompactedException)
                {
                    version = await ListAsync();
                    Interlocked.Increment(ref _relists);
                }
            }
        }

        private void Apply(WatchEvent<IPPool> e)
        {
            lock (_gate)
            {
                if (e.Type == WatchEventType.Deleted)
                {
                    _pools.Remove(e.Object.Name);
                    return;
                }
                if (e.Type == WatchEventType.Added && _pools.TryGetValue(e.Object.Name, out var held)
                    && long.Parse(held.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture)
                        >= long.Parse(e.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture))
                {
                    Repeated.Add(e.Object.Name);
                }
                _pools[e.Object.Name] = e.Object;
            }
        }
    }
}
