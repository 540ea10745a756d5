using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    private enum ClaimOutcome
    {
        /// <summary>The block is the node's now (claimed by this call or by a sibling process of the node).</summary>
        Claimed,

        /// <summary>Nothing claimed: someone wrote first; read the node's blocks again.</summary>
        LostRace,

        /// <summary>No selected pool has a block left to claim.</summary>
        PoolsFull,
    }

    /// <summary>
    /// Claims the next free block of the first pool that has one, unless a sibling process of the
    /// node claimed one since <paramref name="affine"/> was read (then the caller's next round uses it).
    /// </summary>
    private async Task<ClaimOutcome> ClaimNextBlockAsync(
        IReadOnlyList<PoolView> pools, string node, List<(BlockAffinity Affinity, IPNetwork Cidr)> affine, IReadOnlyList<IPAMBlock> full, CancellationToken cancellationToken)
    {
        var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        var known = affine.Select(a => BlockNames.ForBlock(a.Cidr)).ToHashSet(StringComparer.Ordinal);
        if (blocks.Any(b => BlockNames.NodeOf(b.Spec.Affinity) == node && !b.Spec.Deleted && !known.Contains(b.Metadata.Name)
            && IPNetwork.TryParse(b.Spec.Cidr, out var c) && PoolCovering(pools, c) is not null))
        {
            return ClaimOutcome.LostRace;
        }
        var existing = blocks.Select(b => b.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            if (FindUnclaimedBlock(pool, existing, node) is { } cidr)
            {
                return await TryClaimBlockAsync(pool, cidr, node, full, cancellationToken).ConfigureAwait(false);
            }
        }
        return ClaimOutcome.PoolsFull;
    }

    /// <summary>
    /// A block of the pool no one has created yet. Nodes start their search at different places
    /// (a hash of the node name) so that concurrent first claims rarely race for one block.
    /// </summary>
    private static IPNetwork? FindUnclaimedBlock(PoolView pool, HashSet<string> existing, string node)
    {
        if (pool.BlockSize < pool.Cidr.PrefixLength)
        {
            return null;
        }
        var shift = pool.BlockSize - pool.Cidr.PrefixLength;
        var count = shift >= 128 ? UInt128.MaxValue : UInt128.One << shift;
        var start = StableHash(node) % count;
        // Among existing.Count + 1 consecutive candidates at least one is free (or the pool is full).
        var tries = UInt128.Min(count, (UInt128)existing.Count + 1);
        for (UInt128 i = 0; i < tries; i++)
        {
            var cidr = IpMath.BlockAt(pool.Cidr, pool.BlockSize, (start + i) % count);
            if (!existing.Contains(BlockNames.ForBlock(cidr)))
            {
                return cidr;
            }
        }
        return null;
    }

    /// <summary>
    /// Claims one block for a node in two CAS steps: a pending affinity (node + block), then the
    /// block itself created together with the affinity's confirmation. Creating the block is the
    /// arbiter between nodes; sibling processes of one node share the affinity's name and so join
    /// one claim. The commit also rewrites, unchanged, the blocks in <paramref name="full"/> at the
    /// revisions at which the caller found them full: it fails when any of them changed meanwhile
    /// (an address freed, or a sibling's claim that re-checked them first). A lost claim withdraws
    /// its pending affinity; a crash between the steps leaves it, which the next claim of the same
    /// block completes, and which check reports and gc removes.
    /// </summary>
    private async Task<ClaimOutcome> TryClaimBlockAsync(PoolView pool, IPNetwork cidr, string node, IReadOnlyList<IPAMBlock> full, CancellationToken cancellationToken)
    {
        var affinityName = BlockNames.ForAffinity(node, cidr);
        var blockName = BlockNames.ForBlock(cidr);
        BlockAffinity? pending;
        try
        {
            pending = await _store.CreateAsync(
                new BlockAffinity
                {
                    Metadata = new ObjectMeta { Name = affinityName },
                    Spec = new BlockAffinitySpec { Node = node, Cidr = cidr.ToString(), State = BlockAffinitySpec.StatePending },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceAlreadyExistsException)
        {
            pending = await _store.TryGetAsync<BlockAffinity>(affinityName, cancellationToken).ConfigureAwait(false);
        }
        if (pending is null || pending.Spec.State == BlockAffinitySpec.StatePendingDeletion)
        {
            return ClaimOutcome.LostRace;
        }
        if (pending.Spec.State == BlockAffinitySpec.StateConfirmed
            && await _store.TryGetAsync<IPAMBlock>(blockName, cancellationToken).ConfigureAwait(false) is { } confirmed)
        {
            Remember(pending);
            return BlockNames.NodeOf(confirmed.Spec.Affinity) == node ? ClaimOutcome.Claimed : ClaimOutcome.LostRace;
        }
        var block = new IPAMBlock
        {
            Metadata = new ObjectMeta { Name = blockName, Labels = new Dictionary<string, string> { ["pool"] = pool.Name } },
            Spec = BlockState.Empty(cidr).ToSpec(new IPAMBlockSpec { Affinity = BlockNames.HostAffinity(node) }),
        };
        if (Sequential)
        {
            return await ClaimInStepsAsync(pending, block, node, full, cancellationToken).ConfigureAwait(false);
        }
        var transaction = new StoreTransaction()
            .Create(block)
            .Update(pending with { Spec = pending.Spec with { State = BlockAffinitySpec.StateConfirmed } });
        foreach (var stillFull in full)
        {
            transaction.Update(stillFull);
        }
        try
        {
            var committed = await _store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
            Remember((IPAMBlock)committed.Results[0]!);
            Remember((BlockAffinity)committed.Results[1]!);
            return ClaimOutcome.Claimed;
        }
        catch (Exception e) when (IsLostRace(e))
        {
            // A sibling process of the same node won with the same affinity: the block is ours.
            var winner = await _store.TryGetAsync<IPAMBlock>(blockName, cancellationToken).ConfigureAwait(false);
            if (winner is not null && BlockNames.NodeOf(winner.Spec.Affinity) == node)
            {
                return ClaimOutcome.Claimed;
            }
            await DeleteQuietlyAsync<BlockAffinity>(affinityName, pending.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
            return ClaimOutcome.LostRace;
        }
    }

    private async Task DeleteQuietlyAsync<T>(string name, string? resourceVersion, CancellationToken cancellationToken)
        where T : Resource, IResourceKind<T>
    {
        try
        {
            await _store.DeleteAsync<T>(name, resourceVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsLostRace(e))
        {
            // Someone else changed or removed it: whatever they did supersedes our cleanup.
        }
    }

    // FNV-1a: the same start for a node in every process (string.GetHashCode is randomised per process).
    private static UInt128 StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
