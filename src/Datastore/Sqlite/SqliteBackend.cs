using Microsoft.Data.Sqlite;
using RoutedNet.Datastore.Backend;

namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// The embedded store: one sqlite file shared by every process on the machine (CNI binaries run
/// in parallel, each its own process). WAL lets readers run beside the one writer; every write
/// is a BEGIN IMMEDIATE transaction, so it holds the write lock from its first read and a
/// compare-and-swap can never interleave with another process's. Writers wait for their turn
/// in <see cref="SqliteWriterQueue"/> (sqlite's busy timeout stays as the fallback), so they
/// queue instead of failing.
/// </summary>
internal sealed partial class SqliteBackend : IStoreBackend
{
    // Long enough to queue behind a burst of parallel CNI calls; past it the store is "unavailable".
    private const int BusyTimeoutMilliseconds = 30_000;

    // Each CNI process is the first to open the file, so sqlite rebuilds its WAL index by reading
    // every frame of the WAL, and its own checkpoints never let the WAL restart (that needs the
    // next writer in the same process). So the closing process truncates the WAL once it is past
    // this size: an IPAM ADD writes ~40 KiB, so that is one checkpoint (three fsyncs) every few
    // calls, and the index rebuild stays a few dozen frames.
    private const long WalCheckpointBytes = 256 * 1024;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly SqliteHistory _history;
    private readonly Lazy<SqliteKindWakes?> _wakes;

    private SqliteBackend(string path, TimeProvider time, SqliteHistory history)
    {
        _path = path;
        _time = time;
        _history = history;
        _wakes = new(() => SqliteCommitSignal.TryCreate(path) is { } signal ? new SqliteKindWakes(signal, ReadKindsAfterAsync) : null);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    /// <summary>How often an idle watch looks for new events when no commit signal can be had (other processes write the file too).</summary>
    public static TimeSpan WatchPollInterval { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How often an idle watch looks anyway while the commit signal wakes it: only a writer outside
    /// the writer queue (a hand edit with the sqlite3 shell) goes unsignalled. Each look is a read
    /// transaction per watched kind, and polling every node agent's watches 20 times a second was
    /// most of an idle agent's CPU.
    /// </summary>
    public static TimeSpan SignalledWatchPollInterval { get; } = TimeSpan.FromSeconds(2);

    public static async Task<SqliteBackend> OpenAsync(
        string path, CancellationToken cancellationToken, TimeProvider? time = null, SqliteHistory? history = null)
    {
        SqliteNative.EnsureInitialised();
        var full = Path.GetFullPath(path);
        try
        {
            SqliteFileModes.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatastoreUnavailableException($"sqlite {full}: cannot create its directory: {e.Message}", e);
        }
        SqliteFileModes.Secure(full);
        var backend = new SqliteBackend(full, time ?? TimeProvider.System, history ?? SqliteHistory.Default);
        await backend.RunAsync(
            async connection =>
            {
                // Every CNI exec opens the store: when the file already has our schema, one read
                // of its header is all it takes (no write transaction queueing behind other execs).
                var version = await ReadSchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false);
                if (version == SqliteSchema.Version)
                {
                    return true;
                }
                RefuseNewer(full, version);
                // WAL is a property of the file: set once, every later connection uses it.
                await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
                using var transaction = connection.BeginTransaction(deferred: false);
                // Again under the write lock: a newer binary may have created the file meanwhile.
                RefuseNewer(full, await ReadSchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false));
                await ExecuteAsync(connection, SqliteSchema.Create, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"PRAGMA user_version={SqliteSchema.Version};", cancellationToken).ConfigureAwait(false);
                transaction.Commit();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return backend;
    }

    public Task<StoredEntry?> GetAsync(string kind, string name, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                using var command = Command(connection, "SELECT value, mod_revision FROM resources WHERE kind = $kind AND name = $name;", kind, name);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new StoredEntry(kind, name, (byte[])reader[0], reader.GetInt64(1))
                    : null;
            },
            cancellationToken);

    public Task<StoredList> ListAsync(string kind, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                // One read transaction: the revision and the rows come from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                var revision = (await ReadRevisionsAsync(connection, cancellationToken).ConfigureAwait(false)).Current;
                using var command = Command(connection, "SELECT name, value, mod_revision FROM resources WHERE kind = $kind ORDER BY name;", kind);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var items = new List<StoredEntry>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(new StoredEntry(kind, reader.GetString(0), (byte[])reader[1], reader.GetInt64(2)));
                }
                return new StoredList(items, revision);
            },
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_wakes.IsValueCreated && _wakes.Value is { } wakes)
        {
            await wakes.DisposeAsync().ConfigureAwait(false);
        }
        using var connection = new SqliteConnection(_connectionString);
        TruncateLongWal(connection);
        // Pooled connections keep the file open; release ours (other processes are unaffected).
        SqliteConnection.ClearPool(connection);
    }

    private void TruncateLongWal(SqliteConnection connection)
    {
        var wal = new FileInfo(_path + "-wal");
        if (!wal.Exists || wal.Length < WalCheckpointBytes)
        {
            return;
        }
        // No waiting: when other processes are busy in the file, one of them does it later.
        using var turn = SqliteWriterQueue.TryEnter(_path);
        if (turn is null)
        {
            return;
        }
        try
        {
            connection.Open();
            using var command = Command(connection, "PRAGMA busy_timeout=0; PRAGMA wal_checkpoint(TRUNCATE);");
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Busy or failed: the WAL stays as it is, correct and only longer.
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string? kind = null, string? name = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (kind is not null)
        {
            command.Parameters.AddWithValue("$kind", kind);
        }
        if (name is not null)
        {
            command.Parameters.AddWithValue("$name", name);
        }
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // A newer RoutedNet may have changed the tables' meaning: writing our schema version over its
    // own would let this older binary corrupt what the newer one wrote.
    private static void RefuseNewer(string path, long version)
    {
        if (version > SqliteSchema.Version)
        {
            throw new DatastoreUnusableException(
                $"sqlite {path} was written by a newer RoutedNet (schema {version}; this build knows schema {SqliteSchema.Version}): not changing it; use that version or a newer one");
        }
    }

    private static async Task<long> ReadSchemaVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = Command(connection, "PRAGMA user_version;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<(long Current, long Compacted)> ReadRevisionsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = Command(connection, "SELECT current, compacted FROM revision WHERE id = 1;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection; sqlite failures become Unavailable.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per-connection settings. NORMAL in WAL mode survives any process crash (kill -9 of
            // a CNI call); only a power cut may lose the last commits — and the pods with them.
            await ExecuteAsync(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL;", cancellationToken).ConfigureAwait(false);
            // A process that closes the last connection would otherwise checkpoint the WAL into
            // the file and delete it (four fsyncs), and the next process would create it again:
            // with one short-lived process per CNI call that was every call. DisposeAsync
            // checkpoints only once the WAL has grown (see WalCheckpointBytes).
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out int _);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB)
        {
            // Permanent: a CNI runtime told "try again later" (code 11) would retry this forever.
            throw new DatastoreUnusableException(
                $"sqlite {_path} is damaged ({e.Message.TrimEnd('.')}): move it away and restore it from a backup, or let RoutedNet start a new one", e);
        }
        catch (SqliteException e)
        {
            throw new DatastoreUnavailableException($"sqlite {_path}: {e.Message}", e);
        }
    }
}
