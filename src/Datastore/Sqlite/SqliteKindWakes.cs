using System.Collections.Concurrent;

namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Wakes only the watches whose kind a commit wrote. The commit signal says that some process
/// committed, not what: every watch of the store (a node agent has 13, one per kind) used to wake
/// and read the event log for its kind at every commit, mostly to find nothing, and those reads
/// were about a tenth of the agent's CPU per CNI ADD (bench/cni-latency.sh -A). Here one reader
/// per store asks which kinds have events after the last revision it saw, once per commit signal,
/// and wakes those kinds' watches. A read that fails, or history compacted past what it saw,
/// wakes every kind: a wake too many costs a watch one empty read, a wake too few a delay.
/// </summary>
internal sealed class SqliteKindWakes : IAsyncDisposable
{
    /// <summary>The kinds with events after a revision, and the store's current and compacted revisions, from one snapshot.</summary>
    public delegate Task<(IReadOnlyList<string> Kinds, long Current, long Compacted)> KindsAfter(long after, CancellationToken cancellationToken);

    private readonly SqliteCommitSignal _signal;
    private readonly KindsAfter _kindsAfter;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public SqliteKindWakes(SqliteCommitSignal signal, KindsAfter kindsAfter)
    {
        _signal = signal;
        _kindsAfter = kindsAfter;
        _reader = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Completes at the next commit that writes <paramref name="kind"/> after this call (take it before reading).</summary>
    public Task Next(string kind) => Volatile.Read(ref _slots.GetOrAdd(kind, static _ => new Slot()).Source).Task;

    /// <summary>Stops the reader and waits for it: a read still running would open the file again (its -wal, -shm) after the store closed it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Dispose();
        await _reader.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        long? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before the read: a commit that lands while we read wakes the wait below.
            var commit = _signal.Next;
            try
            {
                var (kinds, current, compacted) = await _kindsAfter(last ?? long.MaxValue, cancellationToken).ConfigureAwait(false);
                // The first pass wakes all: a watch may have read just before a commit this reader
                // started too late to see.
                if (last is null || last < compacted)
                {
                    WakeAll();
                }
                else
                {
                    foreach (var kind in kinds)
                    {
                        Wake(kind);
                    }
                }
                last = current;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is DatastoreException or InvalidOperationException or ObjectDisposedException)
            {
                // The store is busy or away: the watches' own reads report it (or succeed).
                WakeAll();
            }
            try
            {
                await commit.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void WakeAll()
    {
        foreach (var kind in _slots.Keys)
        {
            Wake(kind);
        }
    }

    private void Wake(string kind)
    {
        if (_slots.TryGetValue(kind, out var slot))
        {
            Interlocked.Exchange(ref slot.Source, NewSource()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Slot
    {
        public TaskCompletionSource Source = NewSource();
    }
}
