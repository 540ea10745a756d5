using System.Collections.Concurrent;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam;

/// <summary>
/// Group commit of block writes in <see cref="IpamWriteMode.Sequential"/>: the changes that this
/// process's callers want to make to one block while a write of it is under way are applied
/// together and written with the next single CAS. The node agent serves a node's parallel CNI
/// ADDs and DELs from the same block; one write per change made them queue behind each other's
/// round trips to the API server, one write per batch lets the batch share one.
/// </summary>
public sealed partial class IpamClient
{
    private readonly ConcurrentDictionary<string, BlockBatch> _blockBatches = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies <paramref name="change"/> to the block as read (the cache's copy first; after a lost
    /// race the store's) together with the other changes waiting for it, and writes the block once.
    /// The change returns how many ordinals it took or freed (0: it changes nothing) and may run
    /// again on a newer read after a lost race, so it must start over each time. Returns that
    /// count and the block as last written (as read when nothing was written; null when it does
    /// not exist).
    /// </summary>
    private async Task<(int Count, IPAMBlock? Block)> ChangeBlockAsync(string name, Func<IPAMBlock, BlockState, int> change, CancellationToken cancellationToken)
    {
        var waiting = new BlockChange(change);
        var batch = _blockBatches.GetOrAdd(name, static _ => new BlockBatch());
        bool lead;
        lock (batch)
        {
            batch.Waiting.Add(waiting);
            lead = !batch.Writing;
            batch.Writing = true;
        }
        if (lead)
        {
            // The writer runs apart from its first caller, so that caller is answered with its
            // batch and does not wait for the batches that queue up behind it.
            _ = Task.Run(() => WriteBatchesAsync(name, batch), CancellationToken.None);
        }
        return await waiting.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many changes wait for the block's next write (tests observe a batch forming).</summary>
    internal int ChangesWaitingFor(string name)
    {
        if (!_blockBatches.TryGetValue(name, out var batch))
        {
            return 0;
        }
        lock (batch)
        {
            return batch.Waiting.Count;
        }
    }

    private async Task WriteBatchesAsync(string name, BlockBatch batch)
    {
        while (true)
        {
            List<BlockChange> changes;
            lock (batch)
            {
                if (batch.Waiting.Count == 0)
                {
                    batch.Writing = false;
                    return;
                }
                changes = batch.Waiting;
                batch.Waiting = [];
            }
            try
            {
                // Other writers of this block in this process (a specific address, a single
                // release) still take the block's lock; the batch holds it while it writes.
                using var gate = await LockBlockAsync(name, CancellationToken.None).ConfigureAwait(false);
                var (counts, block) = await WriteTogetherAsync(name, changes).ConfigureAwait(false);
                for (var i = 0; i < changes.Count; i++)
                {
                    changes[i].Done.TrySetResult((counts[i], block));
                }
            }
            catch (Exception e)
            {
                foreach (var change in changes)
                {
                    change.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task<(int[] Counts, IPAMBlock? Block)> WriteTogetherAsync(string name, List<BlockChange> changes)
    {
        var counts = new int[changes.Count];
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var block = await ReadBlockAsync(name, fresh: attempt > 0, CancellationToken.None).ConfigureAwait(false);
            if (block is null)
            {
                return (counts, null);
            }
            var state = BlockState.From(block.Spec);
            var changed = 0;
            for (var i = 0; i < changes.Count; i++)
            {
                changed += counts[i] = changes[i].Apply(block, state);
            }
            if (changed == 0)
            {
                return (counts, block);
            }
            try
            {
                var written = await _store.UpdateAsync(block with { Spec = state.ToSpec(block.Spec) }, CancellationToken.None).ConfigureAwait(false);
                Remember(written);
                return (counts, written);
            }
            catch (Exception e) when (IsLostRace(e))
            {
                await BackOffAsync(attempt, CancellationToken.None).ConfigureAwait(false);
            }
        }
        throw TooManyConflicts($"write block {name}");
    }

    private sealed class BlockBatch
    {
        public List<BlockChange> Waiting { get; set; } = [];

        /// <summary>A writer task is running for the block (it takes whatever waits when its write is done).</summary>
        public bool Writing { get; set; }
    }

    private sealed record BlockChange(Func<IPAMBlock, BlockState, int> Apply)
    {
        public TaskCompletionSource<(int Count, IPAMBlock? Block)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
