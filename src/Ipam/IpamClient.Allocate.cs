using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    /// <summary>
    /// Hands out the requested addresses under one handle: per family, from the node's own blocks,
    /// then a newly claimed block (up to maxBlocksPerHost), then borrowed from another node's block
    /// unless strictAffinity. All or nothing: on failure what this call took is released again.
    /// </summary>
    public async Task<IReadOnlyList<AllocatedAddress>> AllocateAsync(AllocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.HandleId) || string.IsNullOrEmpty(request.Node) || request.IPv4Count < 0 || request.IPv6Count < 0)
        {
            throw new IpamException(IpamErrorCode.InvalidRequest, "an allocation needs a handle id, a node and non-negative counts");
        }
        var config = await GetConfigAsync(cancellationToken).ConfigureAwait(false);
        var pools = await ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        var attribute = new AllocationAttribute { HandleId = request.HandleId, Secondary = request.Attributes };
        var context = new AllocationContext(request, config, attribute, new List<AllocatedAddress>(request.IPv4Count + request.IPv6Count + request.Addresses.Count));
        try
        {
            foreach (var family in Families)
            {
                var specific = request.Addresses.Where(a => a.AddressFamily == family).ToArray();
                if (specific.Length > 0)
                {
                    foreach (var address in specific)
                    {
                        await AssignSpecificAsync(context, pools, address, cancellationToken).ConfigureAwait(false);
                    }
                    continue;
                }
                var count = family == AddressFamily.InterNetwork ? request.IPv4Count : request.IPv6Count;
                if (count > 0)
                {
                    var selected = await SelectPoolsAsync(pools, request.Pools, request.Node, family, cancellationToken).ConfigureAwait(false);
                    if (selected.Count == 0 && _cache is not null)
                    {
                        // A pool created a moment ago may not have reached the cache's watch yet:
                        // the store has the last word before an ADD fails for want of a pool.
                        pools = await ListStoredPoolsAsync(cancellationToken).ConfigureAwait(false);
                        selected = await SelectPoolsAsync(pools, request.Pools, request.Node, family, cancellationToken).ConfigureAwait(false);
                    }
                    await AutoAssignAsync(context, selected, family, count, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            foreach (var taken in context.Result)
            {
                await ReleaseAddressAsync(taken.Address, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
        return context.Result;
    }

    /// <summary>
    /// Takes <paramref name="count"/> addresses of one family for the node. Rounds of: allocate
    /// from every block the node holds; if that was not enough, claim one more block (or join the
    /// claim a sibling process of the node has pending) and start the round again from a fresh
    /// read. A new block is claimed only while every block of the node is full, and the claim's
    /// commit re-checks that with CAS on those full blocks: when a sibling process (runtimes run
    /// ADDs of one node in parallel) claimed or freed something meanwhile, the commit fails and the
    /// next round sees the sibling's block instead of claiming another.
    /// </summary>
    private async Task AutoAssignAsync(AllocationContext context, IReadOnlyList<PoolView> pools, AddressFamily family, int count, CancellationToken cancellationToken)
    {
        var node = context.Request.Node;
        if (pools.Count == 0)
        {
            throw new IpamException(IpamErrorCode.NoMatchingPool, $"no enabled {FamilyName(family)} IP pool matches node \"{node}\"");
        }
        var need = count;
        var maxBlocks = context.Config.MaxBlocksPerHost;
        for (var round = 0; need > 0; round++)
        {
            if (round == _maxRetries)
            {
                throw TooManyConflicts($"claim a block for node {node}");
            }
            var affine = await ListAffinitiesAsync(node, family, fresh: round > 0, cancellationToken).ConfigureAwait(false);
            var full = new List<IPAMBlock>(affine.Count);
            IPNetwork? pending = null;
            foreach (var (affinity, cidr) in affine)
            {
                if (PoolCovering(pools, cidr) is not { } pool)
                {
                    continue;
                }
                if (affinity.Spec.State == BlockAffinitySpec.StatePending)
                {
                    pending ??= cidr;
                    continue;
                }
                if (need > 0 && affinity.Spec.State == BlockAffinitySpec.StateConfirmed)
                {
                    var (got, seenFull) = await AllocateFromBlockAsync(context, pool, cidr, need, node, cancellationToken).ConfigureAwait(false);
                    need -= got;
                    if (seenFull is not null)
                    {
                        full.Add(seenFull);
                    }
                }
            }
            if (need == 0)
            {
                break;
            }
            if (pending is null && maxBlocks != 0 && affine.Count >= maxBlocks)
            {
                break;
            }
            var claim = pending is { } joined
                ? await TryClaimBlockAsync(PoolCovering(pools, joined)!, joined, node, full, cancellationToken).ConfigureAwait(false)
                : await ClaimNextBlockAsync(pools, node, affine, full, cancellationToken).ConfigureAwait(false);
            if (claim == ClaimOutcome.PoolsFull)
            {
                break;
            }
        }
        if (need > 0 && !context.Config.StrictAffinity)
        {
            need -= await BorrowAsync(context, pools, family, need, cancellationToken).ConfigureAwait(false);
        }
        if (need > 0)
        {
            var why = context.Config.StrictAffinity ? " (strictAffinity: no borrowing from other nodes' blocks)" : "";
            throw new IpamException(
                IpamErrorCode.NoAddressAvailable,
                $"no free {FamilyName(family)} address for node \"{node}\" in pools {string.Join(", ", pools.Select(p => p.Name))}{why}");
        }
    }

    private async Task<int> BorrowAsync(AllocationContext context, IReadOnlyList<PoolView> pools, AddressFamily family, int need, CancellationToken cancellationToken)
    {
        var got = 0;
        var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        foreach (var block in blocks)
        {
            if (got == need)
            {
                break;
            }
            if (block.Spec.Deleted || block.Spec.Unallocated.Count == 0 || BlockNames.NodeOf(block.Spec.Affinity) == context.Request.Node
                || !IPNetwork.TryParse(block.Spec.Cidr, out var cidr) || cidr.BaseAddress.AddressFamily != family
                || PoolCovering(pools, cidr) is not { } pool)
            {
                continue;
            }
            got += (await AllocateFromBlockAsync(context, pool, cidr, need - got, owner: null, cancellationToken).ConfigureAwait(false)).Got;
        }
        return got;
    }

    /// <summary>
    /// Takes up to <paramref name="need"/> addresses of one block (only while <paramref name="owner"/>
    /// still holds it, when given) and records them on the handle: in the same transaction, or
    /// handle first and block second (<see cref="IpamWriteMode.Sequential"/>,
    /// <see cref="AllocateFromBlockInStepsAsync"/>). When the block has no address to give, returns
    /// it as read (its revision pins "full" for a claim). The first read may come from the cache;
    /// after a lost race the block is read from the store.
    /// </summary>
    private async Task<(int Got, IPAMBlock? Full)> AllocateFromBlockAsync(AllocationContext context, PoolView pool, IPNetwork cidr, int need, string? owner, CancellationToken cancellationToken)
    {
        if (Sequential)
        {
            return await AllocateFromBlockInStepsAsync(context, pool, cidr, need, owner, cancellationToken).ConfigureAwait(false);
        }
        var name = BlockNames.ForBlock(cidr);
        var reserved = ReservedOrdinals.For(cidr, context.Request.Reserved);
        var taken = new List<int>(need);
        using var gate = await LockBlockAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < _maxRetries; attempt++)
            {
                var block = await ReadBlockAsync(name, fresh: attempt > 0, cancellationToken).ConfigureAwait(false);
                if (block is null || block.Spec.Deleted || (owner is not null && BlockNames.NodeOf(block.Spec.Affinity) != owner))
                {
                    return (0, null);
                }
                var state = BlockState.From(block.Spec);
                taken.Clear();
                var got = state.Allocate(need, context.Attribute, reserved, _time.GetUtcNow(), CoolDown(context.Config), taken);
                if (got == 0)
                {
                    return (0, block);
                }
                if (!await TryWriteAllocationAsync(context, block with { Spec = state.ToSpec(block.Spec) }, got, cancellationToken).ConfigureAwait(false))
                {
                    await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                foreach (var ordinal in taken)
                {
                    context.Result.Add(new AllocatedAddress(IpMath.AddressAt(cidr, ordinal), cidr, pool.Name));
                }
                return (got, null);
            }
            throw TooManyConflicts($"allocate from block {cidr}");
        }
        finally
        {
            await GiveBackAheadAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes an allocation of <paramref name="count"/> addresses that <paramref name="updated"/>
    /// holds; false when a race was lost on the block (the caller re-reads it). Transactional: block
    /// and handle in one commit. Sequential: (1) the handle counts them (once: a retry after a lost
    /// block write reuses the count, kept in <see cref="AllocationContext.Ahead"/>), (2) CAS the
    /// block; what the handle counts beyond the block is given back by the caller.
    /// </summary>
    private async Task<bool> TryWriteAllocationAsync(AllocationContext context, IPAMBlock updated, int count, CancellationToken cancellationToken)
    {
        if (!Sequential)
        {
            return await TryCommitWithHandleAsync(context, new StoreTransaction().Update(updated), updated.Spec.Cidr, count, cancellationToken).ConfigureAwait(false);
        }
        var blockCidr = updated.Spec.Cidr;
        var ahead = context.Ahead.GetValueOrDefault(blockCidr);
        if (count > ahead)
        {
            await CountOnHandleAsync(context, blockCidr, count - ahead, cancellationToken).ConfigureAwait(false);
            context.Ahead[blockCidr] = ahead = count;
        }
        try
        {
            Remember(await _store.UpdateAsync(updated, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsLostRace(e))
        {
            return false;
        }
        context.Ahead[blockCidr] = ahead - count;
        return true;
    }

    /// <summary>
    /// After a lost race on a busy block, waits a random 0..2^attempt ms (at most 32): the
    /// processes that read the block together then retry apart instead of colliding again.
    /// </summary>
    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Random.Shared.Next(0, 1 << Math.Min(attempt + 1, 5)), cancellationToken);

    private async Task AssignSpecificAsync(AllocationContext context, IReadOnlyList<PoolView> pools, IPAddress address, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var pool = pools.FirstOrDefault(p => p.Cidr.Contains(address))
            ?? throw new IpamException(IpamErrorCode.AddressNotAvailable, $"{address} is not in any IP pool");
        if (request.Reserved.Any(r => r.Contains(address)))
        {
            throw new IpamException(IpamErrorCode.AddressNotAvailable, $"{address} is in a reserved range");
        }
        var cidr = IpMath.Enclosing(address, pool.BlockSize);
        var ordinal = IpMath.Ordinal(cidr, address);
        using var gate = await LockBlockAsync(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false);
        try
        {
            await AssignSpecificInBlockAsync(context, pool, cidr, address, ordinal, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await GiveBackAheadAsync(context).ConfigureAwait(false);
        }
    }

    private async Task AssignSpecificInBlockAsync(AllocationContext context, PoolView pool, IPNetwork cidr, IPAddress address, int ordinal, CancellationToken cancellationToken)
    {
        var request = context.Request;
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var block = await ReadBlockAsync(BlockNames.ForBlock(cidr), fresh: attempt > 0, cancellationToken).ConfigureAwait(false);
            if (block is null)
            {
                await TryClaimBlockAsync(pool, cidr, request.Node, [], cancellationToken).ConfigureAwait(false);
                continue;
            }
            var state = BlockState.From(block.Spec);
            if (state.IsAllocated(ordinal))
            {
                if (state.AttributeAt(ordinal)?.HandleId == request.HandleId)
                {
                    context.Result.Add(new AllocatedAddress(address, cidr, pool.Name));
                    return;
                }
                throw new IpamException(IpamErrorCode.AddressInUse, $"{address} is already in use");
            }
            state.TryAssign(ordinal, context.Attribute);
            if (!await TryWriteAllocationAsync(context, block with { Spec = state.ToSpec(block.Spec) }, 1, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            context.Result.Add(new AllocatedAddress(address, cidr, pool.Name));
            return;
        }
        throw TooManyConflicts($"assign {address}");
    }

    /// <summary>
    /// Commits the block change together with the handle's create or CAS update; false when a race
    /// was lost (nothing was written). The handle is not read first: a new attachment has none,
    /// so its create is tried blind (the commit fails if one exists, and the retry reads it), and
    /// after a commit of this call the handle it wrote is the one to update.
    /// </summary>
    private async Task<bool> TryCommitWithHandleAsync(
        AllocationContext context, StoreTransaction transaction, string blockCidr, int count, CancellationToken cancellationToken)
    {
        var handleId = context.Request.HandleId;
        var handle = context.Handle;
        if (handle is null && context.HandleMayExist)
        {
            handle = await _store.TryGetAsync<IPAMHandle>(handleId, cancellationToken).ConfigureAwait(false);
        }
        if (handle is null)
        {
            transaction.Create(new IPAMHandle
            {
                Metadata = new ObjectMeta { Name = handleId },
                Spec = new IPAMHandleSpec { HandleId = handleId, Block = new Dictionary<string, int> { [blockCidr] = count } },
            });
        }
        else
        {
            var blocks = new Dictionary<string, int>(handle.Spec.Block);
            blocks[blockCidr] = blocks.GetValueOrDefault(blockCidr) + count;
            transaction.Update(handle with { Spec = handle.Spec with { Block = blocks } });
        }
        try
        {
            var committed = await _store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
            context.Handle = (IPAMHandle)committed.Results[^1]!;
            Remember((IPAMBlock)committed.Results[0]!);
            Remember(context.Handle);
            return true;
        }
        catch (Exception e) when (IsLostRace(e))
        {
            // The handle may have been there, or changed: read it on the next try.
            (context.Handle, context.HandleMayExist) = (null, true);
            return false;
        }
    }

    private static PoolView? PoolCovering(IReadOnlyList<PoolView> pools, IPNetwork block) =>
        pools.FirstOrDefault(p => IpMath.Covers(p.Cidr, block));

    private static TimeSpan CoolDown(IPAMConfigSpec config) => TimeSpan.FromSeconds(config.ReleaseCooldownSeconds);

    private sealed record AllocationContext(AllocationRequest Request, IPAMConfigSpec Config, AllocationAttribute Attribute, List<AllocatedAddress> Result)
    {
        /// <summary>The handle as this call last wrote it (null before its first commit).</summary>
        public IPAMHandle? Handle { get; set; }

        /// <summary>Whether the handle may exist without this call having written it (a retried ADD).</summary>
        public bool HandleMayExist { get; set; }

        /// <summary>Sequential mode: block CIDR → addresses the handle counts that the block does not hold yet.</summary>
        public Dictionary<string, int> Ahead { get; } = new(StringComparer.Ordinal);
    }
}
