using System.Runtime.CompilerServices;
using RoutedNet.Datastore.Backend;

namespace RoutedNet.Datastore.Sqlite;

internal sealed partial class SqliteBackend
{
    private const int WatchBatch = 256;

    /// <summary>Polls in a row that may find the stamp unchanged and skip the read (30 s with the commit signal).</summary>
    private const int MaxSkippedPolls = 15;

    private long _watchReads;

    /// <summary>How many times watches read the event log (tests: a commit of one kind wakes no other kind's watch).</summary>
    internal long WatchReads => Interlocked.Read(ref _watchReads);

    // Writers may be other processes: wait for the next commit of this kind anywhere on the file
    // (SqliteKindWakes) or the poll interval, whichever comes first, then read the event log.
    // Revisions are assigned under the write lock, so they become visible in order and
    // "everything after the last one seen" never skips a commit.
    public async IAsyncEnumerable<StoredEvent> WatchAsync(
        string kind, long? afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterRevision ?? (await RunAsync(c => ReadRevisionsAsync(c, cancellationToken), cancellationToken).ConfigureAwait(false)).Current;
        // One transaction's events share a revision; (revision, seq) resumes inside one cut by the batch limit.
        var lastSeq = int.MaxValue;
        var wakes = _wakes.Value;
        while (true)
        {
            // Taken before the read: a commit of this kind that lands while we read still wakes
            // the wait below, and changes the file's stamp.
            var commit = wakes?.Next(kind);
            var stamp = SqliteFileStamp.Of(_path);
            var batch = await ReadEventsAsync(kind, last, lastSeq, cancellationToken).ConfigureAwait(false);
            foreach (var (e, seq) in batch)
            {
                yield return e;
                (last, lastSeq) = (e.Entry.ModRevision, seq);
            }
            if (batch.Count < WatchBatch)
            {
                await WaitForCommitAsync(commit, stamp, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Until the commit signal fires or a poll finds the file changed since <paramref name="stamp"/>
    /// was taken; and at least every <see cref="MaxSkippedPolls"/> polls anyway (file times are
    /// kept at the kernel's clock tick, so a restarted WAL rewritten within the tick of the stamp
    /// could look unchanged).
    /// </summary>
    private async Task WaitForCommitAsync(Task? commit, SqliteFileStamp stamp, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxSkippedPolls; poll++)
        {
            if (await WaitOnceAsync(commit, cancellationToken).ConfigureAwait(false) || SqliteFileStamp.Of(_path) != stamp)
            {
                return;
            }
        }
    }

    /// <summary>One poll interval, or less if the commit signal fires (then true).</summary>
    private async Task<bool> WaitOnceAsync(Task? commit, CancellationToken cancellationToken)
    {
        if (commit is null)
        {
            await Task.Delay(WatchPollInterval, _time, cancellationToken).ConfigureAwait(false);
            return false;
        }
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = await Task.WhenAny(commit, Task.Delay(SignalledWatchPollInterval, _time, cancelDelay.Token)).ConfigureAwait(false) == commit;
        await cancelDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return woken;
    }

    /// <summary>For <see cref="SqliteKindWakes"/>: the kinds with events after <paramref name="after"/>, in the snapshot of the revisions read.</summary>
    private Task<(IReadOnlyList<string> Kinds, long Current, long Compacted)> ReadKindsAfterAsync(long after, CancellationToken cancellationToken) =>
        RunAsync<(IReadOnlyList<string>, long, long)>(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: true);
                var (current, compacted) = await ReadRevisionsAsync(connection, cancellationToken).ConfigureAwait(false);
                using var command = Command(connection, "SELECT DISTINCT kind FROM events WHERE revision > $after;");
                command.Parameters.AddWithValue("$after", after);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var kinds = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    kinds.Add(reader.GetString(0));
                }
                return (kinds, current, compacted);
            },
            cancellationToken);

    private Task<List<(StoredEvent Event, int Seq)>> ReadEventsAsync(string kind, long after, int afterSeq, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                Interlocked.Increment(ref _watchReads);
                using var transaction = connection.BeginTransaction(deferred: true);
                var (_, compacted) = await ReadRevisionsAsync(connection, cancellationToken).ConfigureAwait(false);
                if (after < compacted)
                {
                    throw new RevisionCompactedException(
                        $"sqlite {_path}: history up to revision {compacted} is compacted; cannot watch {kind} from {after}");
                }
                using var command = Command(
                    connection,
                    "SELECT revision, name, type, value, seq FROM events WHERE kind = $kind AND (revision, seq) > ($after, $seq) ORDER BY revision, seq LIMIT $limit;",
                    kind);
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$seq", afterSeq);
                command.Parameters.AddWithValue("$limit", WatchBatch);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var events = new List<(StoredEvent, int)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var entry = new StoredEntry(kind, reader.GetString(1), (byte[])reader[3], reader.GetInt64(0));
                    events.Add((new StoredEvent((WatchEventType)reader.GetInt32(2), entry), reader.GetInt32(4)));
                }
                return events;
            },
            cancellationToken);
}
