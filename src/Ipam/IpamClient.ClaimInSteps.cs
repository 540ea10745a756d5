using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Steps 2 and 3 of a sequential claim, after step 1 (the <paramref name="pending"/> affinity):
    /// (2) create the block (a create is a CAS: the one arbiter between nodes), (3) CAS the
    /// affinity to confirmed. Readers treat a pending affinity as absent, so nothing allocates from
    /// the block before step 3 (other nodes may borrow from it: it is a valid block). A block that
    /// already exists and is the node's (a sibling process's claim, or one a crash interrupted) is
    /// taken as the node's and its claim finished; one that belongs elsewhere loses the race, and
    /// the pending affinity is withdrawn with a resourceVersion precondition (a sibling may have
    /// moved it on meanwhile). Before step 2 the blocks the caller found full are read again: the
    /// transactional claim re-checks them inside its commit, here a change (an address freed, a
    /// sibling's allocation) withdraws the claim and the caller's next round sees it.
    /// </summary>
    private async Task<ClaimOutcome> ClaimInStepsAsync(BlockAffinity pending, IPAMBlock block, string node, IReadOnlyList<IPAMBlock> full, CancellationToken cancellationToken)
    {
        foreach (var stillFull in full)
        {
            var now = await _store.TryGetAsync<IPAMBlock>(stillFull.Metadata.Name, cancellationToken).ConfigureAwait(false);
            if (now?.Metadata.ResourceVersion != stillFull.Metadata.ResourceVersion)
            {
                await WithdrawAsync(pending, cancellationToken).ConfigureAwait(false);
                return ClaimOutcome.LostRace;
            }
        }
        try
        {
            Remember(await _store.CreateAsync(block, cancellationToken).ConfigureAwait(false));
        }
        catch (ResourceAlreadyExistsException)
        {
            var existing = await ReadBlockAsync(block.Metadata.Name, fresh: true, cancellationToken).ConfigureAwait(false);
            if (existing is null || BlockNames.NodeOf(existing.Spec.Affinity) != node)
            {
                await WithdrawAsync(pending, cancellationToken).ConfigureAwait(false);
                return ClaimOutcome.LostRace;
            }
        }
        return await ConfirmAsync(pending, cancellationToken).ConfigureAwait(false) ? ClaimOutcome.Claimed : ClaimOutcome.LostRace;
    }

    /// <summary>
    /// Step 3: the node's block exists, so its affinity becomes confirmed. When the pending
    /// affinity changed meanwhile it is read again; when it is gone (a sibling withdrew it after
    /// its own re-check, or gc), it is created confirmed: the block is the node's either way.
    /// </summary>
    private async Task<bool> ConfirmAsync(BlockAffinity pending, CancellationToken cancellationToken)
    {
        var affinity = pending;
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            try
            {
                if (affinity is null)
                {
                    Remember(await _store.CreateAsync(
                        pending with { Metadata = pending.Metadata with { ResourceVersion = null }, Spec = pending.Spec with { State = BlockAffinitySpec.StateConfirmed } },
                        cancellationToken).ConfigureAwait(false));
                    return true;
                }
                if (affinity.Spec.State == BlockAffinitySpec.StateConfirmed)
                {
                    Remember(affinity);
                    return true;
                }
                if (affinity.Spec.State != BlockAffinitySpec.StatePending)
                {
                    return false;
                }
                Remember(await _store.UpdateAsync(affinity with { Spec = affinity.Spec with { State = BlockAffinitySpec.StateConfirmed } }, cancellationToken).ConfigureAwait(false));
                return true;
            }
            catch (Exception e) when (IsLostRace(e))
            {
                affinity = await _store.TryGetAsync<BlockAffinity>(pending.Metadata.Name, cancellationToken).ConfigureAwait(false);
            }
        }
        throw TooManyConflicts($"confirm the claim of {pending.Spec.Cidr} for node {pending.Spec.Node}");
    }

    private async Task WithdrawAsync(BlockAffinity pending, CancellationToken cancellationToken)
    {
        await DeleteQuietlyAsync<BlockAffinity>(pending.Metadata.Name, pending.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
        _cache?.ForgetAffinity(pending.Metadata.Name);
    }
}
