using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Check;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Checks the invariants: every allocated address has a handle that counts it and every
    /// handle's counts match its blocks; no address lies in two blocks; every block lies inside a
    /// pool; every affinity matches its block's owner. With <paramref name="liveHandles"/>, handles
    /// not in it are listed as leaked.
    /// </summary>
    public async Task<IpamCheckReport> CheckAsync(IReadOnlySet<string>? liveHandles = null, CancellationToken cancellationToken = default) =>
        (await InspectAsync(liveHandles, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>The check, plus the names of what gc repairs (<see cref="Interruptions"/>).</summary>
    private async Task<(IpamCheckReport Report, Interruptions Found)> InspectAsync(IReadOnlySet<string>? liveHandles, CancellationToken cancellationToken)
    {
        var pools = await ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        // Blocks before affinities: a claim writes its affinity before its block, so every block
        // listed here has its affinity in the later list (no false "block without affinity").
        var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        var affinities = (await _store.ListAsync<BlockAffinity>(cancellationToken).ConfigureAwait(false)).Items;
        var handles = (await _store.ListAsync<IPAMHandle>(cancellationToken).ConfigureAwait(false)).Items;
        var problems = new List<string>();
        var found = new Interruptions();
        // handle id → block CIDR → addresses found in that block
        var held = new Dictionary<string, Dictionary<string, List<IPAddress>>>(StringComparer.Ordinal);
        var parsed = new List<IPNetwork>(blocks.Count);
        var allocations = 0;
        foreach (var block in blocks)
        {
            if (!IPNetwork.TryParse(block.Spec.Cidr, out var cidr))
            {
                problems.Add($"block {block.Metadata.Name} has an invalid CIDR \"{block.Spec.Cidr}\"");
                continue;
            }
            parsed.Add(cidr);
            if (!pools.Any(p => IpMath.Covers(p.Cidr, cidr)))
            {
                problems.Add($"block {cidr} lies outside every IP pool");
            }
            allocations += CheckBlock(block, cidr, held, problems);
        }
        CheckOverlaps(parsed, problems);
        foreach (var handle in handles)
        {
            var counted = held.GetValueOrDefault(handle.Spec.HandleId) ?? [];
            foreach (var (blockCidr, count) in handle.Spec.Block)
            {
                var actual = counted.GetValueOrDefault(blockCidr)?.Count ?? 0;
                if (actual < count)
                {
                    // The sequential order counts on the handle first: a crash (or a lost undo)
                    // between that and the block write leaves exactly this.
                    found.Add(
                        found.OverCountedHandles,
                        handle.Metadata.Name,
                        $"handle {handle.Spec.HandleId} counts {count} address(es) in block {blockCidr} but the block holds {actual}: a write interrupted between handle and block (ipam gc recounts it)");
                }
                else if (actual > count)
                {
                    problems.Add($"handle {handle.Spec.HandleId} counts {count} address(es) in block {blockCidr} but the block holds {actual}");
                }
            }
            foreach (var (blockCidr, addresses) in counted)
            {
                if (!handle.Spec.Block.ContainsKey(blockCidr))
                {
                    problems.Add($"handle {handle.Spec.HandleId} does not count its {addresses.Count} address(es) in block {blockCidr}");
                }
            }
        }
        var handleIds = handles.Select(h => h.Spec.HandleId).ToHashSet(StringComparer.Ordinal);
        foreach (var (handleId, byBlock) in held)
        {
            if (!handleIds.Contains(handleId))
            {
                problems.Add($"{string.Join(", ", byBlock.Values.SelectMany(a => a))} allocated to handle \"{handleId}\" which does not exist");
            }
        }
        var stale = CheckAffinities(blocks, affinities, found);
        var leaked = liveHandles is null
            ? []
            : held.Where(h => !liveHandles.Contains(h.Key))
                .Select(h => new LeakedHandle(h.Key, h.Value.Values.SelectMany(a => a).ToArray()))
                .ToArray();
        var report = new IpamCheckReport(problems, leaked, stale, allocations, handles.Count, blocks.Count) { Interrupted = found.Descriptions };
        return (report, found);
    }

    private static int CheckBlock(IPAMBlock block, IPNetwork cidr, Dictionary<string, Dictionary<string, List<IPAddress>>> held, List<string> problems)
    {
        var spec = block.Spec;
        var size = (int)IpMath.Size(cidr.BaseAddress.AddressFamily, cidr.PrefixLength);
        if (spec.Allocations.Count != size)
        {
            problems.Add($"block {cidr} has {spec.Allocations.Count} allocation slots for {size} addresses");
            return 0;
        }
        var free = new bool[size];
        foreach (var ordinal in spec.Unallocated)
        {
            if (ordinal < 0 || ordinal >= size || free[ordinal])
            {
                problems.Add($"block {cidr} lists ordinal {ordinal} as free twice or out of range");
                continue;
            }
            free[ordinal] = true;
        }
        var count = 0;
        for (var ordinal = 0; ordinal < size; ordinal++)
        {
            var index = spec.Allocations[ordinal];
            if (index is null)
            {
                if (!free[ordinal])
                {
                    problems.Add($"block {cidr}: {IpMath.AddressAt(cidr, ordinal)} is neither allocated nor free");
                }
                continue;
            }
            count++;
            var address = IpMath.AddressAt(cidr, ordinal);
            if (free[ordinal])
            {
                problems.Add($"block {cidr}: {address} is allocated and also listed as free");
            }
            var handleId = index.Value >= 0 && index.Value < spec.Attributes.Count ? spec.Attributes[index.Value].HandleId : null;
            if (handleId is null)
            {
                problems.Add($"block {cidr}: {address} is allocated without a handle");
                continue;
            }
            if (!held.TryGetValue(handleId, out var byBlock))
            {
                held[handleId] = byBlock = new Dictionary<string, List<IPAddress>>(StringComparer.Ordinal);
            }
            if (!byBlock.TryGetValue(spec.Cidr, out var list))
            {
                byBlock[spec.Cidr] = list = [];
            }
            list.Add(address);
        }
        return count;
    }

    // Prefixes either nest or are disjoint: sorted by start, a block overlaps another exactly when it
    // starts before the previous one (of its family) ends.
    private static void CheckOverlaps(List<IPNetwork> blocks, List<string> problems)
    {
        var sorted = blocks
            .OrderBy(b => b.BaseAddress.AddressFamily)
            .ThenBy(b => IpMath.ToInteger(b.BaseAddress))
            .ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (IpMath.Overlaps(sorted[i - 1], sorted[i]))
            {
                problems.Add($"blocks {sorted[i - 1]} and {sorted[i]} overlap: their addresses are in two blocks");
            }
        }
    }

    /// <summary>
    /// Compares blocks' owners with the affinities; returns the pending claims that lost (or never
    /// reached) their block, and notes in <paramref name="found"/> the states a claim or a node
    /// release leaves when interrupted between its writes (sequential order, docs/DESIGN.md).
    /// </summary>
    private static List<string> CheckAffinities(IReadOnlyList<IPAMBlock> blocks, IReadOnlyList<BlockAffinity> affinities, Interruptions found)
    {
        var byCidr = blocks.ToDictionary(b => b.Spec.Cidr, StringComparer.Ordinal);
        var stale = new List<string>();
        foreach (var affinity in affinities)
        {
            var block = byCidr.GetValueOrDefault(affinity.Spec.Cidr);
            var ownerMatches = block is not null && BlockNames.NodeOf(block.Spec.Affinity) == affinity.Spec.Node;
            if (affinity.Spec.State == BlockAffinitySpec.StateConfirmed)
            {
                if (!ownerMatches)
                {
                    found.Add(
                        found.AffinitiesWithoutBlock,
                        affinity.Metadata.Name,
                        $"affinity {affinity.Metadata.Name}: node {affinity.Spec.Node} is confirmed for block {affinity.Spec.Cidr} but the block {(block is null ? "does not exist" : $"belongs to {block.Spec.Affinity ?? "no node"}")}: a release interrupted between block and affinity (ipam gc deletes the affinity)");
                }
            }
            else if (!ownerMatches)
            {
                stale.Add(affinity.Metadata.Name);
            }
            else if (affinity.Spec.State == BlockAffinitySpec.StatePending)
            {
                found.Add(
                    found.UnconfirmedClaims,
                    affinity.Metadata.Name,
                    $"block {affinity.Spec.Cidr} belongs to node {affinity.Spec.Node} whose claim {affinity.Metadata.Name} is still pending: a claim interrupted before its confirmation (ipam gc confirms it)");
            }
        }
        foreach (var block in blocks)
        {
            if (BlockNames.NodeOf(block.Spec.Affinity) is { } node
                && !affinities.Any(a => a.Spec.Node == node && a.Spec.Cidr == block.Spec.Cidr
                    && a.Spec.State is BlockAffinitySpec.StateConfirmed or BlockAffinitySpec.StatePending))
            {
                found.Add(
                    found.BlocksWithoutAffinity,
                    block.Metadata.Name,
                    $"block {block.Spec.Cidr} belongs to node {node} which has no affinity for it: a node release interrupted, or an affinity deleted by hand (ipam gc takes the block from the node)");
            }
        }
        return stale;
    }

    /// <summary>What an interrupted sequence of writes left, by resource name, for gc to repair.</summary>
    private sealed class Interruptions
    {
        public List<string> Descriptions { get; } = [];

        public HashSet<string> OverCountedHandles { get; } = new(StringComparer.Ordinal);

        public HashSet<string> UnconfirmedClaims { get; } = new(StringComparer.Ordinal);

        public HashSet<string> AffinitiesWithoutBlock { get; } = new(StringComparer.Ordinal);

        public HashSet<string> BlocksWithoutAffinity { get; } = new(StringComparer.Ordinal);

        public void Add(HashSet<string> names, string name, string description)
        {
            names.Add(name);
            Descriptions.Add(description);
        }
    }
}
