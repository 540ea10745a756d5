using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>Claims the first free block of the first pool that has one; null when every pool is full.</summary>
    private async Task<(PoolView Pool, IPNetwork Cidr)?> ClaimAnyBlockAsync(IReadOnlyList<PoolView> pools, string node, HashSet<IPNetwork> tried, CancellationToken cancellationToken)
    {
        foreach (var pool in pools)
        {
            for (var attempt = 0; attempt < _maxRetries; attempt++)
            {
                var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
                // Another process of this node (runtimes run CNI ADDs in parallel) may have claimed
                // a block since our caller listed affinities: use it rather than claim a second one.
                var sibling = blocks.FirstOrDefault(b => BlockNames.NodeOf(b.Spec.Affinity) == node && b.Spec.Unallocated.Count > 0
                    && IPNetwork.TryParse(b.Spec.Cidr, out var c) && IpMath.Covers(pool.Cidr, c) && !tried.Contains(c));
                if (sibling is not null)
                {
                    return (pool, IPNetwork.Parse(sibling.Spec.Cidr));
                }
                var existing = blocks.Select(b => b.Metadata.Name).ToHashSet(StringComparer.Ordinal);
                if (FindUnclaimedBlock(pool, existing, node) is not { } cidr)
                {
                    break;
                }
                if (await TryClaimBlockAsync(pool, cidr, node, cancellationToken).ConfigureAwait(false))
                {
                    return (pool, cidr);
                }
            }
        }
        return null;
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
    /// arbiter: when another node created it first, our pending affinity is withdrawn. A crash
    /// between the steps leaves only a pending affinity, which check reports and gc removes.
    /// </summary>
    private async Task<bool> TryClaimBlockAsync(PoolView pool, IPNetwork cidr, string node, CancellationToken cancellationToken)
    {
        var affinityName = BlockNames.ForAffinity(node, cidr);
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
            if (pending is null)
            {
                return false;
            }
        }
        if (pending.Spec.State == BlockAffinitySpec.StateConfirmed)
        {
            return await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false) is not null;
        }
        var block = new IPAMBlock
        {
            Metadata = new ObjectMeta { Name = BlockNames.ForBlock(cidr), Labels = new Dictionary<string, string> { ["pool"] = pool.Name } },
            Spec = BlockState.Empty(cidr).ToSpec(new IPAMBlockSpec { Affinity = BlockNames.HostAffinity(node) }),
        };
        try
        {
            await _store.CommitAsync(
                new StoreTransaction()
                    .Create(block)
                    .Update(pending with { Spec = pending.Spec with { State = BlockAffinitySpec.StateConfirmed } }),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ResourceAlreadyExistsException)
        {
            // A sibling process of the same node won with the same affinity: the block is ours.
            var winner = await _store.TryGetAsync<IPAMBlock>(block.Metadata.Name, cancellationToken).ConfigureAwait(false);
            if (winner is not null && BlockNames.NodeOf(winner.Spec.Affinity) == node)
            {
                return true;
            }
            await DeleteQuietlyAsync<BlockAffinity>(affinityName, pending.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (Exception e) when (IsLostRace(e))
        {
            return false;
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
