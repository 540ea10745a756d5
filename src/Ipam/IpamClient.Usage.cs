using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Usage;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    private static readonly Dictionary<string, string> NoAttributes = [];

    /// <summary>Per pool and per block: total, in use, free, owner, and the addresses lent to other nodes.</summary>
    public async Task<IReadOnlyList<PoolUsage>> GetUsageAsync(CancellationToken cancellationToken = default)
    {
        var pools = await ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        var result = new List<PoolUsage>(pools.Count);
        foreach (var pool in pools)
        {
            var blockUsages = new List<BlockUsage>();
            UInt128 inUse = 0;
            foreach (var block in blocks)
            {
                if (!IPNetwork.TryParse(block.Spec.Cidr, out var cidr) || !IpMath.Covers(pool.Cidr, cidr))
                {
                    continue;
                }
                var state = BlockState.From(block.Spec);
                var owner = BlockNames.NodeOf(block.Spec.Affinity);
                var borrowed = new List<AddressInfo>();
                for (var ordinal = 0; ordinal < state.Size; ordinal++)
                {
                    var attribute = state.AttributeAt(ordinal);
                    if (state.IsAllocated(ordinal) && attribute?.Secondary?.GetValueOrDefault(AttributeKeys.Node) is { } node && node != owner)
                    {
                        borrowed.Add(Describe(state, ordinal, owner));
                    }
                }
                blockUsages.Add(new BlockUsage(cidr, owner, state.Size, state.InUse, borrowed));
                inUse += (UInt128)state.InUse;
            }
            result.Add(new PoolUsage(pool.Name, pool.Cidr, IpMath.Size(pool.Cidr.BaseAddress.AddressFamily, pool.Cidr.PrefixLength), inUse, blockUsages));
        }
        return result;
    }

    /// <summary>Who holds <paramref name="address"/>, or null when it is free or in no block.</summary>
    public async Task<AddressInfo?> GetAddressAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var block = await FindBlockAsync(address, cancellationToken).ConfigureAwait(false);
        if (block is null)
        {
            return null;
        }
        var state = BlockState.From(block.Spec);
        var ordinal = IpMath.Ordinal(state.Cidr, address);
        return state.IsAllocated(ordinal) ? Describe(state, ordinal, BlockNames.NodeOf(block.Spec.Affinity)) : null;
    }

    /// <summary>
    /// True when the node could get an address of <paramref name="family"/> now: a selected pool has
    /// a free address in a block it may use, or room for a block it may claim (CNI STATUS).
    /// </summary>
    public async Task<bool> HasFreeAddressAsync(string node, IReadOnlyList<string> poolNames, System.Net.Sockets.AddressFamily family, CancellationToken cancellationToken = default)
    {
        var config = await GetConfigAsync(cancellationToken).ConfigureAwait(false);
        var pools = await SelectPoolsAsync(await ListPoolsAsync(cancellationToken).ConfigureAwait(false), poolNames, node, family, cancellationToken).ConfigureAwait(false);
        var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        var ownedBlocks = blocks.Count(b => BlockNames.NodeOf(b.Spec.Affinity) == node && IPNetwork.TryParse(b.Spec.Cidr, out var c) && c.BaseAddress.AddressFamily == family);
        foreach (var pool in pools)
        {
            var inPool = blocks.Where(b => IPNetwork.TryParse(b.Spec.Cidr, out var c) && IpMath.Covers(pool.Cidr, c)).ToArray();
            var mayClaim = config.MaxBlocksPerHost == 0 || ownedBlocks < config.MaxBlocksPerHost;
            if (mayClaim && IpMath.Size(pool.Cidr.BaseAddress.AddressFamily, pool.Cidr.PrefixLength) / IpMath.Size(family, pool.BlockSize) > (UInt128)inPool.Length)
            {
                return true;
            }
            if (inPool.Any(b => b.Spec.Unallocated.Count > 0 && !b.Spec.Deleted
                && (!config.StrictAffinity || BlockNames.NodeOf(b.Spec.Affinity) == node)))
            {
                return true;
            }
        }
        return false;
    }

    private static AddressInfo Describe(BlockState state, int ordinal, string? owner)
    {
        var attribute = state.AttributeAt(ordinal);
        return new AddressInfo(IpMath.AddressAt(state.Cidr, ordinal), state.Cidr, owner, attribute?.HandleId, attribute?.Secondary ?? NoAttributes);
    }
}
