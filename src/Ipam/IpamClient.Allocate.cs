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

    private async Task AutoAssignAsync(AllocationContext context, IReadOnlyList<PoolView> pools, AddressFamily family, int count, CancellationToken cancellationToken)
    {
        var node = context.Request.Node;
        if (pools.Count == 0)
        {
            throw new IpamException(IpamErrorCode.NoMatchingPool, $"no enabled {FamilyName(family)} IP pool matches node \"{node}\"");
        }
        var need = count;
        var affinities = (await _store.ListAsync<BlockAffinity>(cancellationToken).ConfigureAwait(false)).Items;
        var ownedBlocks = 0;
        var tried = new HashSet<IPNetwork>();
        foreach (var affinity in affinities)
        {
            if (affinity.Spec.Node != node || !IPNetwork.TryParse(affinity.Spec.Cidr, out var cidr) || cidr.BaseAddress.AddressFamily != family)
            {
                continue;
            }
            ownedBlocks++;
            tried.Add(cidr);
            var pool = PoolCovering(pools, cidr);
            if (need > 0 && pool is not null && affinity.Spec.State == BlockAffinitySpec.StateConfirmed)
            {
                need -= await AllocateFromBlockAsync(context, pool, cidr, need, node, cancellationToken).ConfigureAwait(false);
            }
        }
        var maxBlocks = context.Config.MaxBlocksPerHost;
        while (need > 0 && (maxBlocks == 0 || ownedBlocks < maxBlocks))
        {
            var claimed = await ClaimAnyBlockAsync(pools, node, tried, cancellationToken).ConfigureAwait(false);
            if (claimed is not var (pool, cidr) || !tried.Add(cidr))
            {
                break;
            }
            ownedBlocks++;
            need -= await AllocateFromBlockAsync(context, pool, cidr, need, node, cancellationToken).ConfigureAwait(false);
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
            got += await AllocateFromBlockAsync(context, pool, cidr, need - got, owner: null, cancellationToken).ConfigureAwait(false);
        }
        return got;
    }

    /// <summary>
    /// Takes up to <paramref name="need"/> addresses of one block (only while <paramref name="owner"/>
    /// still holds it, when given) and records them on the handle in the same transaction.
    /// </summary>
    private async Task<int> AllocateFromBlockAsync(AllocationContext context, PoolView pool, IPNetwork cidr, int need, string? owner, CancellationToken cancellationToken)
    {
        var name = BlockNames.ForBlock(cidr);
        var reserved = ReservedOrdinals.For(cidr, context.Request.Reserved);
        var taken = new List<int>(need);
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var block = await _store.TryGetAsync<IPAMBlock>(name, cancellationToken).ConfigureAwait(false);
            if (block is null || block.Spec.Deleted || (owner is not null && BlockNames.NodeOf(block.Spec.Affinity) != owner))
            {
                return 0;
            }
            var state = BlockState.From(block.Spec);
            taken.Clear();
            var got = state.Allocate(need, context.Attribute, reserved, _time.GetUtcNow(), CoolDown(context.Config), taken);
            if (got == 0)
            {
                return 0;
            }
            var transaction = new StoreTransaction().Update(block with { Spec = state.ToSpec(block.Spec) });
            await AddToHandleAsync(transaction, context.Request.HandleId, block.Spec.Cidr, got, cancellationToken).ConfigureAwait(false);
            try
            {
                await _store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsLostRace(e))
            {
                continue;
            }
            foreach (var ordinal in taken)
            {
                context.Result.Add(new AllocatedAddress(IpMath.AddressAt(cidr, ordinal), cidr, pool.Name));
            }
            return got;
        }
        throw TooManyConflicts($"allocate from block {cidr}");
    }

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
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var block = await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false);
            if (block is null)
            {
                await TryClaimBlockAsync(pool, cidr, request.Node, cancellationToken).ConfigureAwait(false);
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
            var transaction = new StoreTransaction().Update(block with { Spec = state.ToSpec(block.Spec) });
            await AddToHandleAsync(transaction, request.HandleId, block.Spec.Cidr, 1, cancellationToken).ConfigureAwait(false);
            try
            {
                await _store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsLostRace(e))
            {
                continue;
            }
            context.Result.Add(new AllocatedAddress(address, cidr, pool.Name));
            return;
        }
        throw TooManyConflicts($"assign {address}");
    }

    /// <summary>Queues the handle's create or CAS update so that it commits with the block.</summary>
    private async Task AddToHandleAsync(StoreTransaction transaction, string handleId, string blockCidr, int count, CancellationToken cancellationToken)
    {
        var handle = await _store.TryGetAsync<IPAMHandle>(handleId, cancellationToken).ConfigureAwait(false);
        if (handle is null)
        {
            transaction.Create(new IPAMHandle
            {
                Metadata = new ObjectMeta { Name = handleId },
                Spec = new IPAMHandleSpec { HandleId = handleId, Block = new Dictionary<string, int> { [blockCidr] = count } },
            });
            return;
        }
        var blocks = new Dictionary<string, int>(handle.Spec.Block);
        blocks[blockCidr] = blocks.GetValueOrDefault(blockCidr) + count;
        transaction.Update(handle with { Spec = handle.Spec with { Block = blocks } });
    }

    private static PoolView? PoolCovering(IReadOnlyList<PoolView> pools, IPNetwork block) =>
        pools.FirstOrDefault(p => IpMath.Covers(p.Cidr, block));

    private static TimeSpan CoolDown(IPAMConfigSpec config) => TimeSpan.FromSeconds(config.ReleaseCooldownSeconds);

    private sealed record AllocationContext(AllocationRequest Request, IPAMConfigSpec Config, AllocationAttribute Attribute, List<AllocatedAddress> Result);
}
