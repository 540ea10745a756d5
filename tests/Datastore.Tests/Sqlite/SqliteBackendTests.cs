using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Sqlite;

namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>What only the sqlite backend has: a file on disk, its own history compaction.</summary>
public sealed class SqliteBackendTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task Open_MissingDirectory_CreatesIt()
    {
        await using var store = await StoreFactory.OpenAsync(_database.Url);

        Assert.True(File.Exists(_database.FilePath));
    }

    [Fact]
    public async Task Open_PathIsADirectory_ThrowsUnavailableNamingThePath()
    {
        Directory.CreateDirectory(_database.FilePath);

        var error = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => StoreFactory.OpenAsync(_database.Url));

        Assert.Contains(_database.FilePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_AfterClose_KeepsObjectsAndRevision()
    {
        string version;
        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            version = (await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } })).Metadata.ResourceVersion!;
        }

        await using var reopened = await StoreFactory.OpenAsync(_database.Url);

        Assert.Equal(version, (await reopened.GetAsync<Node>("n1")).Metadata.ResourceVersion);
        var next = await reopened.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n2" } });
        Assert.True(long.Parse(next.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(version, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_FromRevisionOlderThanHistory_ThrowsCompacted()
    {
        await using var store = new TypedStore(await SqliteBackend.OpenAsync(_database.FilePath, default, history: new SqliteHistory(Revisions: 4, CompactEvery: 2)));
        var start = (await store.ListAsync<Node>()).ResourceVersion;
        for (var i = 0; i < 10; i++)
        {
            await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = $"n{i}" } });
        }

        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var _ in store.WatchAsync<Node>(start))
            {
            }
        });
        // a watch from the list's revision still works after compaction
        var list = await store.ListAsync<Node>();
        await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "later" } });
        await foreach (var e in store.WatchAsync<Node>(list.ResourceVersion))
        {
            Assert.Equal("later", e.Object.Name);
            break;
        }
    }

    [Fact]
    public async Task Watch_CommitThroughAnotherHandle_DeliveredWithoutThePollTimer()
    {
        await using var writer = new TypedStore(await SqliteBackend.OpenAsync(_database.FilePath, default));
        // The watcher's poll timer never fires: only the commit signal can wake its watch.
        await using var watcher = new TypedStore(await SqliteBackend.OpenAsync(_database.FilePath, default, time: new FrozenTime()));
        var start = (await watcher.ListAsync<Node>()).ResourceVersion;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = watcher.WatchAsync<Node>(start, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = events.MoveNextAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // the watch has read the (empty) log and waits
        await writer.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });

        Assert.True(await next);
        Assert.Equal("n1", events.Current.Object.Name);
    }

    [Fact]
    public async Task Watch_CommitsOfAnotherKind_DoNotWakeIt()
    {
        var backend = await SqliteBackend.OpenAsync(_database.FilePath, default, time: new FrozenTime());
        await using var store = new TypedStore(backend);
        var start = (await store.ListAsync<Node>()).ResourceVersion;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = store.WatchAsync<Node>(start, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = events.MoveNextAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // the watch has read the (empty) log and waits
        var readsBefore = backend.WatchReads;

        for (var i = 0; i < 20; i++)
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = $"p{i}" }, Spec = new IPPoolSpec { Cidr = $"10.{i}.0.0/16" } });
        }
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // time for wakes, had there been any
        Assert.False(next.IsCompleted);
        Assert.Equal(readsBefore, backend.WatchReads);

        await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });
        Assert.True(await next);
        Assert.Equal("n1", events.Current.Object.Name);
    }

    // The one reader that wakes watches by kind may be reading when the store closes (a commit
    // from another handle signalled it): closing waits for it, or it would open the file again
    // (-wal, -shm) after the caller removed it.
    [Fact]
    public async Task Dispose_WhileAnotherHandleCommits_LeavesNoFileBehind()
    {
        for (var i = 0; i < 20; i++)
        {
            var dir = Path.Combine(Path.GetTempPath(), $"rnt-sqlite-close-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "store.db");
            var watcher = new TypedStore(await SqliteBackend.OpenAsync(path, default));
            var writer = new TypedStore(await SqliteBackend.OpenAsync(path, default));
            using var stop = new CancellationTokenSource();
            var watch = Task.Run(async () =>
            {
                await foreach (var _ in watcher.WatchAsync<Node>(null, stop.Token))
                {
                }
            });
            await Task.WhenAll(Enumerable.Range(0, 10).Select(n =>
                writer.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = $"p{n}" }, Spec = new IPPoolSpec { Cidr = $"10.{n}.0.0/16" } })));
            // The watch ends first, as its owner ends it before closing the store.
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
            await writer.DisposeAsync();
            await watcher.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Watch_CommitOutsideTheWriterQueue_DeliveredAtAPoll()
    {
        await using var watcher = new TypedStore(await SqliteBackend.OpenAsync(_database.FilePath, default));
        await watcher.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });
        var start = (await watcher.ListAsync<Node>()).ResourceVersion;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = watcher.WatchAsync<Node>(start, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = events.MoveNextAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // the watch has read the (empty) log and waits

        // A hand edit with the sqlite3 shell: no writer queue, so no commit signal; only the
        // watch's poll (which skips its read while the file is unchanged) can see it.
        await using (var shell = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.FilePath}"))
        {
            await shell.OpenAsync();
            using var edit = shell.CreateCommand();
            edit.CommandText = """
                UPDATE revision SET current = current + 1 WHERE id = 1;
                INSERT INTO events (revision, seq, kind, name, type, value)
                    SELECT r.current, 0, e.kind, e.name, e.type, e.value FROM events e, revision r WHERE e.name = 'n1';
                """;
            await edit.ExecuteNonQueryAsync();
        }

        Assert.True(await next);
        Assert.Equal("n1", events.Current.Object.Name);
    }

    public void Dispose() => _database.Dispose();

    /// <summary>A clock whose timers never fire.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
