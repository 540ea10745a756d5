using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Frees every address of a handle (both families) and deletes the handle; returns how many
    /// addresses were freed. Idempotent: an unknown handle frees nothing and is no error.
    /// </summary>
    public async Task<int> ReleaseHandleAsync(string handleId, CancellationToken cancellationToken = default)
    {
        if (Sequential)
        {
            return await ReleaseHandleInStepsAsync(handleId, cancellationToken).ConfigureAwait(false);
        }
        var released = 0;
        var fresh = false;
        for (var attempt = 0; attempt < _maxRetries;)
        {
            var handle = await ReadHandleAsync(handleId, fresh, cancellationToken).ConfigureAwait(false);
            if (handle is null)
            {
                return released;
            }
            var transaction = new StoreTransaction();
            var freed = 0;
            // One block per commit: each step leaves block and handle consistent with each other.
            if (handle.Spec.Block.Count > 0)
            {
                var blockCidr = handle.Spec.Block.Keys.First();
                var block = IPNetwork.TryParse(blockCidr, out var cidr)
                    ? await ReadBlockAsync(BlockNames.ForBlock(cidr), fresh, cancellationToken).ConfigureAwait(false)
                    : null;
                if (block is not null)
                {
                    var state = BlockState.From(block.Spec);
                    freed = state.ReleaseHandle(handleId, _time.GetUtcNow(), CoolDown(await GetConfigAsync(cancellationToken).ConfigureAwait(false)));
                    if (freed > 0)
                    {
                        transaction.Update(block with { Spec = state.ToSpec(block.Spec) });
                    }
                }
                var rest = new Dictionary<string, int>(handle.Spec.Block);
                rest.Remove(blockCidr);
                QueueHandleWrite(transaction, handle, rest);
            }
            else
            {
                transaction.Delete<IPAMHandle>(handle.Metadata.Name, handle.Metadata.ResourceVersion);
            }
            try
            {
                var committed = await _store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
                released += freed;
                fresh = false;
                RememberAll(committed, handleId);
                if (!committed.Results.OfType<IPAMHandle>().Any())
                {
                    return released; // the commit deleted the handle: nothing is left to release
                }
            }
            catch (Exception e) when (IsLostRace(e))
            {
                attempt++;
                fresh = true;
            }
        }
        throw TooManyConflicts($"release handle {handleId}");
    }

    /// <summary>Frees one address; returns the handle that held it, or null when it was not allocated.</summary>
    public async Task<string?> ReleaseAddressAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var found = await FindBlockAsync(address, cancellationToken).ConfigureAwait(false);
            var block = found is null || attempt == 0 ? found : await ReadBlockAsync(found.Metadata.Name, fresh: true, cancellationToken).ConfigureAwait(false);
            if (block is null)
            {
                return null;
            }
            if (Sequential)
            {
                if (await TryReleaseAddressInStepsAsync(block, address, cancellationToken).ConfigureAwait(false) is { } outcome)
                {
                    return outcome.HandleId;
                }
                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var state = BlockState.From(block.Spec);
            var handleId = state.Release(IpMath.Ordinal(state.Cidr, address), _time.GetUtcNow(), CoolDown(await GetConfigAsync(cancellationToken).ConfigureAwait(false)));
            if (handleId is null)
            {
                return null;
            }
            var transaction = new StoreTransaction().Update(block with { Spec = state.ToSpec(block.Spec) });
            var handle = handleId.Length == 0 ? null : await ReadHandleAsync(handleId, fresh: attempt > 0, cancellationToken).ConfigureAwait(false);
            if (handle is not null)
            {
                var rest = new Dictionary<string, int>(handle.Spec.Block);
                if (rest.TryGetValue(block.Spec.Cidr, out var count) && count > 1)
                {
                    rest[block.Spec.Cidr] = count - 1;
                }
                else
                {
                    rest.Remove(block.Spec.Cidr);
                }
                QueueHandleWrite(transaction, handle, rest);
            }
            try
            {
                RememberAll(await _store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false), handleId);
                return handleId;
            }
            catch (Exception e) when (IsLostRace(e))
            {
            }
        }
        throw TooManyConflicts($"release {address}");
    }

    /// <summary>
    /// A node is gone: its affinities are deleted, its empty blocks too; blocks that still hold
    /// addresses lose their owner and stay (other nodes may borrow from them).
    /// </summary>
    public async Task ReleaseNodeAsync(string node, CancellationToken cancellationToken = default)
    {
        if (Sequential)
        {
            await ReleaseNodeInStepsAsync(node, cancellationToken).ConfigureAwait(false);
            return;
        }
        await ForEachAffinityOfNodeAsync(node, (affinity, ownBlock) =>
        {
            var transaction = new StoreTransaction().Delete<BlockAffinity>(affinity.Metadata.Name, affinity.Metadata.ResourceVersion);
            if (ownBlock is not null)
            {
                if (BlockState.From(ownBlock.Spec).InUse == 0)
                {
                    transaction.Delete<IPAMBlock>(ownBlock.Metadata.Name, ownBlock.Metadata.ResourceVersion);
                }
                else
                {
                    transaction.Update(ownBlock with { Spec = ownBlock.Spec with { Affinity = null } });
                }
            }
            return _store.CommitAsync(transaction, cancellationToken);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="release"/> for each affinity of <paramref name="node"/>, with the
    /// affinity and the block it names (null unless that block is still the node's) read fresh;
    /// a lost race reads both again and retries, up to the retry bound. Both write modes release a
    /// node through this loop; only their writes differ.
    /// </summary>
    private async Task ForEachAffinityOfNodeAsync(string node, Func<BlockAffinity, IPAMBlock?, Task> release, CancellationToken cancellationToken)
    {
        var affinities = (await _store.ListAsync<BlockAffinity>(cancellationToken).ConfigureAwait(false)).Items
            .Where(a => a.Spec.Node == node);
        foreach (var listed in affinities)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == _maxRetries)
                {
                    throw TooManyConflicts($"release node {node}");
                }
                var affinity = await _store.TryGetAsync<BlockAffinity>(listed.Metadata.Name, cancellationToken).ConfigureAwait(false);
                if (affinity is null)
                {
                    break;
                }
                var block = IPNetwork.TryParse(affinity.Spec.Cidr, out var cidr)
                    ? await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false)
                    : null;
                var ownBlock = block is not null && BlockNames.NodeOf(block.Spec.Affinity) == node ? block : null;
                try
                {
                    await release(affinity, ownBlock).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (IsLostRace(e))
                {
                }
            }
        }
    }

    private static void QueueHandleWrite(StoreTransaction transaction, IPAMHandle handle, Dictionary<string, int> blocks)
    {
        if (blocks.Count == 0)
        {
            transaction.Delete<IPAMHandle>(handle.Metadata.Name, handle.Metadata.ResourceVersion);
        }
        else
        {
            transaction.Update(handle with { Spec = handle.Spec with { Block = blocks } });
        }
    }

    /// <summary>Keeps what a commit wrote in the cache; a handle the commit deleted is forgotten.</summary>
    private void RememberAll(TransactionResult committed, string? handleId)
    {
        if (_cache is null)
        {
            return;
        }
        var handleWritten = false;
        foreach (var written in committed.Results)
        {
            switch (written)
            {
                case IPAMBlock block:
                    _cache.Put(block);
                    break;
                case IPAMHandle handle:
                    _cache.Put(handle);
                    handleWritten = true;
                    break;
            }
        }
        if (!handleWritten && handleId is { Length: > 0 })
        {
            _cache.ForgetHandle(handleId);
        }
    }
}
