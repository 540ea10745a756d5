using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam;

/// <summary>Releases in <see cref="IpamWriteMode.Sequential"/>: the block first, then the handle or affinity.</summary>
public sealed partial class IpamClient
{
    /// <summary>
    /// Per block the handle counts: (1) CAS the block to free the handle's addresses, (2) CAS the
    /// handle to forget that block (deleted once it counts nothing). A crash between leaves a handle
    /// counting addresses its block no longer holds: a repeated release (a runtime retries DEL)
    /// frees nothing in the block and finishes step 2; gc does the same for a dead attachment.
    /// </summary>
    private async Task<int> ReleaseHandleInStepsAsync(string handleId, CancellationToken cancellationToken)
    {
        var released = 0;
        var handle = await ReadHandleAsync(handleId, fresh: false, cancellationToken).ConfigureAwait(false);
        for (var step = 0; handle is not null; step++)
        {
            if (step == _maxRetries)
            {
                throw TooManyConflicts($"release handle {handleId}");
            }
            if (handle.Spec.Block.Count == 0)
            {
                try
                {
                    await _store.DeleteAsync<IPAMHandle>(handle.Metadata.Name, handle.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
                    ForgetHandle(handleId);
                    return released;
                }
                catch (Exception e) when (IsLostRace(e))
                {
                    handle = await ReadHandleAsync(handleId, fresh: true, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            var blockCidr = handle.Spec.Block.Keys.First();
            if (IPNetwork.TryParse(blockCidr, out var cidr))
            {
                released += await FreeInBlockAsync(BlockNames.ForBlock(cidr), handleId, cancellationToken).ConfigureAwait(false);
            }
            var (changed, next) = await TryChangeHandleAsync(handleId, handle, blockCidr, null, cancellationToken).ConfigureAwait(false);
            if (!changed)
            {
                throw TooManyConflicts($"release handle {handleId}");
            }
            handle = next;
        }
        return released;
    }

    /// <summary>
    /// Step 1 of a handle's release in one block: frees what the block holds for it, in the block's
    /// next batched write (<see cref="ChangeBlockAsync"/>); returns how many.
    /// </summary>
    private async Task<int> FreeInBlockAsync(string blockName, string handleId, CancellationToken cancellationToken)
    {
        var coolDown = CoolDown(await GetConfigAsync(cancellationToken).ConfigureAwait(false));
        var (freed, _) = await ChangeBlockAsync(blockName, (_, state) => state.ReleaseHandle(handleId, _time.GetUtcNow(), coolDown), cancellationToken).ConfigureAwait(false);
        return freed;
    }

    /// <summary>
    /// (1) CAS the block to free the address, (2) the handle that held it counts one fewer. Null
    /// when the block write lost a race (the caller reads again); else the handle that held the
    /// address (null inside when it was not allocated).
    /// </summary>
    private async Task<ReleasedFrom?> TryReleaseAddressInStepsAsync(IPAMBlock block, IPAddress address, CancellationToken cancellationToken)
    {
        var state = BlockState.From(block.Spec);
        var handleId = state.Release(IpMath.Ordinal(state.Cidr, address), _time.GetUtcNow(), CoolDown(await GetConfigAsync(cancellationToken).ConfigureAwait(false)));
        if (handleId is null)
        {
            return new ReleasedFrom(null);
        }
        using (await LockBlockAsync(block.Metadata.Name, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                Remember(await _store.UpdateAsync(block with { Spec = state.ToSpec(block.Spec) }, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (IsLostRace(e))
            {
                return null;
            }
        }
        if (handleId.Length > 0)
        {
            await TryChangeHandleAsync(handleId, _cache?.GetHandle(handleId), block.Spec.Cidr, -1, cancellationToken).ConfigureAwait(false);
        }
        return new ReleasedFrom(handleId);
    }

    /// <summary>
    /// Per affinity of the node: (1) the block leaves the node (deleted with a resourceVersion
    /// precondition when empty, else its owner cleared by CAS), (2) the affinity is deleted with a
    /// resourceVersion precondition. A crash between leaves a confirmed affinity without its block,
    /// which nothing allocates from (the block read says so) and gc deletes.
    /// </summary>
    private Task ReleaseNodeInStepsAsync(string node, CancellationToken cancellationToken) =>
        ForEachAffinityOfNodeAsync(node, async (affinity, ownBlock) =>
        {
            if (ownBlock is not null)
            {
                await DisownAsync(ownBlock, cancellationToken).ConfigureAwait(false);
            }
            await _store.DeleteAsync<BlockAffinity>(affinity.Metadata.Name, affinity.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
            _cache?.ForgetAffinity(affinity.Metadata.Name);
        }, cancellationToken);

    /// <summary>A block leaves its node: deleted (resourceVersion precondition) when it holds nothing, else kept without owner.</summary>
    private async Task DisownAsync(IPAMBlock block, CancellationToken cancellationToken)
    {
        if (BlockState.From(block.Spec).InUse == 0)
        {
            await _store.DeleteAsync<IPAMBlock>(block.Metadata.Name, block.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
            _cache?.ForgetBlock(block.Metadata.Name);
        }
        else
        {
            Remember(await _store.UpdateAsync(block with { Spec = block.Spec with { Affinity = null } }, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The outcome of a release that was written: the handle that held the address, or null when it was free.</summary>
    private sealed record ReleasedFrom(string? HandleId);
}
