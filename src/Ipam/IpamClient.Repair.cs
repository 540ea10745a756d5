using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Gc;

namespace RoutedNet.Ipam;

/// <summary>
/// gc's repair of what an interrupted write sequence left (the table in docs/DESIGN.md, IPAM).
/// Every repair reads its objects again and writes with a resourceVersion precondition, so a
/// writer that moved on since the check wins and the repair is skipped; the ones that could undo
/// a write still in flight wait for the grace period first.
/// </summary>
public sealed partial class IpamClient
{
    private async Task RepairAsync(
        Interruptions found, DateTimeOffset cutoff, GcScope scope, Dictionary<string, List<IReadOnlyDictionary<string, string>?>>? owners, CancellationToken cancellationToken)
    {
        foreach (var name in found.OverCountedHandles)
        {
            if (owners is null || InScope(name, owners, scope))
            {
                await RecountHandleAsync(name, cutoff, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var name in found.UnconfirmedClaims)
        {
            await ConfirmInterruptedClaimAsync(name, cutoff, scope, cancellationToken).ConfigureAwait(false);
        }
        foreach (var name in found.AffinitiesWithoutBlock)
        {
            await DeleteAffinityWithoutBlockAsync(name, scope, cancellationToken).ConfigureAwait(false);
        }
        foreach (var name in found.BlocksWithoutAffinity)
        {
            await DisownBlockWithoutAffinityAsync(name, cutoff, scope, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lowers the handle's counts to what its blocks hold (deleting it when nothing is left), once
    /// its last write is older than the grace period: an allocation between its handle and block
    /// writes would otherwise lose its count and, later, its release.
    /// </summary>
    private async Task RecountHandleAsync(string name, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var handle = await _store.TryGetAsync<IPAMHandle>(name, cancellationToken).ConfigureAwait(false);
            if (handle is null || LastWritten(handle) > cutoff)
            {
                return;
            }
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (blockCidr, count) in handle.Spec.Block)
            {
                var held = IPNetwork.TryParse(blockCidr, out var cidr)
                    && await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false) is { } block
                        ? HeldBy(block, handle.Spec.HandleId)
                        : 0;
                if (Math.Min(held, count) > 0)
                {
                    counts[blockCidr] = Math.Min(held, count);
                }
            }
            if (counts.Count == handle.Spec.Block.Count && counts.All(c => handle.Spec.Block[c.Key] == c.Value))
            {
                return;
            }
            try
            {
                if (counts.Count == 0)
                {
                    await _store.DeleteAsync<IPAMHandle>(name, handle.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
                    ForgetHandle(name);
                }
                else
                {
                    Remember(await _store.UpdateAsync(handle with { Spec = handle.Spec with { Block = counts } }, cancellationToken).ConfigureAwait(false));
                }
                return;
            }
            catch (Exception e) when (IsLostRace(e))
            {
                // Written meanwhile: its stamp is fresh now, or its counts changed; look again.
            }
        }
    }

    /// <summary>A claim whose block exists and is its node's: finishes it (as the node's next claim of that block would).</summary>
    private async Task ConfirmInterruptedClaimAsync(string name, DateTimeOffset cutoff, GcScope scope, CancellationToken cancellationToken)
    {
        var affinity = await _store.TryGetAsync<BlockAffinity>(name, cancellationToken).ConfigureAwait(false);
        if (affinity is null || affinity.Spec.State != BlockAffinitySpec.StatePending
            || (scope.Node is not null && affinity.Spec.Node != scope.Node)
            || (affinity.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) > cutoff
            || !IPNetwork.TryParse(affinity.Spec.Cidr, out var cidr)
            || await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false) is not { } block
            || BlockNames.NodeOf(block.Spec.Affinity) != affinity.Spec.Node)
        {
            return;
        }
        try
        {
            Remember(await _store.UpdateAsync(affinity with { Spec = affinity.Spec with { State = BlockAffinitySpec.StateConfirmed } }, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsLostRace(e))
        {
            // The claimer finished it, or moved it on.
        }
    }

    /// <summary>
    /// A confirmed affinity whose block is gone or not its node's: deleted (resourceVersion
    /// precondition). No grace: a claim confirms only after its block exists, so this is never a
    /// claim in flight; the block is read again in case it was created since the check's list.
    /// </summary>
    private async Task DeleteAffinityWithoutBlockAsync(string name, GcScope scope, CancellationToken cancellationToken)
    {
        var affinity = await _store.TryGetAsync<BlockAffinity>(name, cancellationToken).ConfigureAwait(false);
        if (affinity is null || affinity.Spec.State != BlockAffinitySpec.StateConfirmed
            || (scope.Node is not null && affinity.Spec.Node != scope.Node)
            || !IPNetwork.TryParse(affinity.Spec.Cidr, out var cidr))
        {
            return;
        }
        var block = await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false);
        if (block is not null && BlockNames.NodeOf(block.Spec.Affinity) == affinity.Spec.Node)
        {
            return;
        }
        await DeleteQuietlyAsync<BlockAffinity>(name, affinity.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
        _cache?.ForgetAffinity(name);
    }

    /// <summary>
    /// A block owned by a node that has no affinity for it (older than the grace period): it leaves
    /// the node as in a node release, deleted when empty, else kept without owner for borrowing.
    /// A claim writes its affinity before its block, so no claim in flight looks like this.
    /// </summary>
    private async Task DisownBlockWithoutAffinityAsync(string name, DateTimeOffset cutoff, GcScope scope, CancellationToken cancellationToken)
    {
        var block = await _store.TryGetAsync<IPAMBlock>(name, cancellationToken).ConfigureAwait(false);
        if (block is null || BlockNames.NodeOf(block.Spec.Affinity) is not { } node
            || (scope.Node is not null && node != scope.Node)
            || (block.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) > cutoff
            || !IPNetwork.TryParse(block.Spec.Cidr, out var cidr)
            || await _store.TryGetAsync<BlockAffinity>(BlockNames.ForAffinity(node, cidr), cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }
        try
        {
            await DisownAsync(block, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsLostRace(e))
        {
            // Written meanwhile: the next gc looks again.
        }
    }

    private static int HeldBy(IPAMBlock block, string handleId)
    {
        var held = 0;
        var attributes = block.Spec.Attributes;
        foreach (var index in block.Spec.Allocations)
        {
            if (index is { } i && i >= 0 && i < attributes.Count && attributes[i].HandleId == handleId)
            {
                held++;
            }
        }
        return held;
    }
}
