using System.Globalization;
using System.Net;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Validation;

/// <summary>
/// IPAM carves a pool into blocks that nodes hold, blackhole and advertise, and hands out their
/// addresses. Accepting a new cidr or blockSize for a pool that has blocks made new blocks that
/// overlap the old ones, so one address went to two pods; deleting a pool left its blocks behind
/// for the next pool to overlap. So, as Calico does: a pool's cidr and blockSize never change (the
/// same rule as the IPPool CRD's CEL rules on the kubernetes datastore, where kubectl writes bypass
/// this class, so every datastore refuses the same edits); a pool's blocks must fit it exactly (a block left by a deleted pool is adopted by a
/// new pool of the same block size, and refuses any other); and deleting a pool whose addresses
/// are still allocated needs force, while its empty blocks and their affinities go with it.
/// </summary>
internal static class PoolGuard
{
    /// <summary>Throws when a pool write or delete of the transaction breaks a rule; returns the extra deletes of empty blocks.</summary>
    public static List<WriteOp> Check(
        IReadOnlyList<TransactionOp> ops,
        IReadOnlyList<IPPool> storedPools,
        IReadOnlyList<IPAMBlock> blocks,
        IReadOnlyList<BlockAffinity> affinities)
    {
        var parsed = blocks
            .Select(b => (Block: b, Cidr: IPNetwork.TryParse(b.Spec.Cidr, out var c) ? c : (IPNetwork?)null))
            .Where(b => b.Cidr is not null)
            .Select(b => (b.Block, Cidr: b.Cidr!.Value))
            .ToList();
        var extra = new List<WriteOp>();
        foreach (var op in ops.Where(o => o.Kind == IPPool.KindName))
        {
            var stored = storedPools.FirstOrDefault(p => p.Name == op.Name);
            if (op.Resource is IPPool pool)
            {
                // A create of a taken name is the backend's AlreadyExists, not a change to the pool.
                CheckWrite(pool, op.Type == WriteOpType.Create ? null : stored, parsed);
            }
            else if (stored is not null)
            {
                extra.AddRange(CheckDelete(stored, op.Force, parsed, affinities, ops));
            }
        }
        return extra;
    }

    private static void CheckWrite(IPPool pool, IPPool? stored, List<(IPAMBlock Block, IPNetwork Cidr)> blocks)
    {
        var network = Cidr.ParseNetwork("spec.cidr", pool.Spec.Cidr);
        var blockSize = pool.Spec.EffectiveBlockSize();
        if (stored is not null && IPNetwork.TryParse(stored.Spec.Cidr, out var old)
            && (old != network || stored.Spec.EffectiveBlockSize() != blockSize))
        {
            var held = blocks.Where(b => Contains(old, b.Cidr)).ToList();
            if (held.Count > 0)
            {
                throw new ResourceValidationException(
                    $"IPPool \"{pool.Name}\": spec.cidr and spec.blockSize cannot change while the pool has blocks " +
                    $"({Count(held.Count, "block")}, e.g. {held[0].Cidr}{Holder(held[0].Block)}): new blocks would overlap them and hand addresses out twice. " +
                    $"To renumber: create a new pool with the new range, set disabled: true on \"{pool.Name}\", recreate its pods, then delete \"{pool.Name}\"");
            }
            throw new ResourceValidationException(
                $"IPPool \"{pool.Name}\": spec.cidr and spec.blockSize never change (absent blockSize means 24 for IPv4, 122 for IPv6); " +
                $"the pool has no blocks yet, so delete \"{pool.Name}\" and create it again with the new values");
        }
        foreach (var (block, cidr) in blocks)
        {
            if (Overlap(network, cidr) && !(Contains(network, cidr) && cidr.PrefixLength == blockSize))
            {
                throw new ResourceValidationException(
                    $"IPPool \"{pool.Name}\": spec.cidr {pool.Spec.Cidr} with blockSize {blockSize} overlaps IPAM block {cidr}{Holder(block)}, " +
                    $"{Count(Allocated(block), "address")} allocated, which a deleted pool left: choose another range, " +
                    $"or blockSize {cidr.PrefixLength} to adopt the block, or release those addresses first");
            }
        }
    }

    private static IEnumerable<WriteOp> CheckDelete(
        IPPool stored,
        bool force,
        List<(IPAMBlock Block, IPNetwork Cidr)> blocks,
        IReadOnlyList<BlockAffinity> affinities,
        IReadOnlyList<TransactionOp> ops)
    {
        if (!IPNetwork.TryParse(stored.Spec.Cidr, out var network))
        {
            return [];
        }
        var inPool = blocks.Where(b => Contains(network, b.Cidr)).ToList();
        var used = inPool.Where(b => Allocated(b.Block) > 0).ToList();
        if (used.Count > 0 && !force)
        {
            var detail = string.Join(", ", used.Take(5).Select(b => $"{b.Cidr}{Holder(b.Block)}: {Allocated(b.Block)}"));
            throw new ResourceInUseException(
                $"IPPool \"{stored.Name}\" still has {Count(used.Sum(b => Allocated(b.Block)), "allocated address")} in {Count(used.Count, "block")} " +
                $"({detail}{(used.Count > 5 ? ", ..." : "")}): set disabled: true, recreate those pods, then delete it; " +
                "or force the delete (routednetctl delete --force) and leave those addresses allocated");
        }
        // The empty blocks go with the pool (with CAS: an allocation that lands meanwhile fails
        // the commit, and the retry sees it); left behind, a node would go on advertising them.
        var touched = ops.Select(o => (o.Kind, o.Name)).ToHashSet();
        var writes = new List<WriteOp>();
        foreach (var (block, cidr) in inPool.Where(b => Allocated(b.Block) == 0))
        {
            Add(writes, touched, IPAMBlock.KindName, block.Metadata);
            foreach (var affinity in affinities.Where(a => IPNetwork.TryParse(a.Spec.Cidr, out var c) && c == cidr))
            {
                Add(writes, touched, BlockAffinity.KindName, affinity.Metadata);
            }
        }
        return writes;
    }

    private static void Add(List<WriteOp> writes, HashSet<(string, string)> touched, string kind, ObjectMeta metadata)
    {
        if (touched.Add((kind, metadata.Name)))
        {
            writes.Add(new WriteOp(WriteOpType.Delete, kind, metadata.Name, null, ResourceVersions.Parse(metadata.ResourceVersion)));
        }
    }

    private static int Allocated(IPAMBlock block) => block.Spec.Allocations.Count(a => a is not null);

    private static string Holder(IPAMBlock block) =>
        block.Spec.Affinity is { } affinity && affinity.StartsWith("host:", StringComparison.Ordinal) ? $" on node {affinity[5..]}" : "";

    private static string Count(int n, string what) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? "" : what.EndsWith('s') ? "es" : "s");

    private static bool Overlap(IPNetwork a, IPNetwork b) => Cidr.Overlap(a, b);

    private static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && inner.PrefixLength >= outer.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
