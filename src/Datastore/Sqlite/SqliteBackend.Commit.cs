using Microsoft.Data.Sqlite;
using RoutedNet.Datastore.Backend;

namespace RoutedNet.Datastore.Sqlite;

internal sealed partial class SqliteBackend
{
    public Task<long> CommitAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                // Wait in the kernel's queue, not in sqlite's sleeping busy handler (see SqliteWriterQueue).
                using var turn = SqliteWriterQueue.Enter(_path);
                // IMMEDIATE: take the write lock before reading the preconditions (a deferred
                // transaction would read, then fail to upgrade when another writer got in first).
                using var transaction = connection.BeginTransaction(deferred: false);
                var previous = new List<StoredEntry?>(ops.Count);
                foreach (var op in ops)
                {
                    var current = await ReadAsync(connection, op, cancellationToken).ConfigureAwait(false);
                    if (Preconditions.Check(op, current?.ModRevision) is { } error)
                    {
                        throw error;
                    }
                    previous.Add(current);
                }
                var revision = await NextRevisionAsync(connection, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < ops.Count; i++)
                {
                    await ApplyAsync(connection, ops[i], previous[i], revision, i, cancellationToken).ConfigureAwait(false);
                }
                if (revision % _history.CompactEvery == 0)
                {
                    await CompactAsync(connection, revision - _history.Revisions, cancellationToken).ConfigureAwait(false);
                }
                transaction.Commit();
                return revision;
            },
            cancellationToken);

    private static async Task<StoredEntry?> ReadAsync(SqliteConnection connection, WriteOp op, CancellationToken cancellationToken)
    {
        using var command = Command(connection, "SELECT value, mod_revision FROM resources WHERE kind = $kind AND name = $name;", op.Kind, op.Name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredEntry(op.Kind, op.Name, (byte[])reader[0], reader.GetInt64(1))
            : null;
    }

    private static async Task<long> NextRevisionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = Command(connection, "UPDATE revision SET current = current + 1 WHERE id = 1 RETURNING current;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ApplyAsync(
        SqliteConnection connection, WriteOp op, StoredEntry? previous, long revision, int seq, CancellationToken cancellationToken)
    {
        var (sql, type, eventValue) = op.Type switch
        {
            WriteOpType.Delete => ("DELETE FROM resources WHERE kind = $kind AND name = $name;", WatchEventType.Deleted, previous!.Value),
            _ => (
                "INSERT INTO resources (kind, name, value, mod_revision) VALUES ($kind, $name, $value, $revision) " +
                "ON CONFLICT (kind, name) DO UPDATE SET value = excluded.value, mod_revision = excluded.mod_revision;",
                previous is null ? WatchEventType.Added : WatchEventType.Modified,
                op.Value!),
        };
        using (var write = Command(connection, sql, op.Kind, op.Name))
        {
            write.Parameters.AddWithValue("$value", op.Value ?? []);
            write.Parameters.AddWithValue("$revision", revision);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        using var log = Command(
            connection,
            "INSERT INTO events (revision, seq, kind, name, type, value) VALUES ($revision, $seq, $kind, $name, $type, $value);",
            op.Kind,
            op.Name);
        log.Parameters.AddWithValue("$revision", revision);
        log.Parameters.AddWithValue("$seq", seq);
        log.Parameters.AddWithValue("$type", (int)type);
        log.Parameters.AddWithValue("$value", eventValue);
        await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CompactAsync(SqliteConnection connection, long upTo, CancellationToken cancellationToken)
    {
        if (upTo <= 0)
        {
            return;
        }
        using var command = Command(connection, "DELETE FROM events WHERE revision <= $upTo; UPDATE revision SET compacted = max(compacted, $upTo) WHERE id = 1;");
        command.Parameters.AddWithValue("$upTo", upTo);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
