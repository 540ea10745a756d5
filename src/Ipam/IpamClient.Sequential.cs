using System.Globalization;
using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam;

/// <summary>
/// The handle steps of <see cref="IpamWriteMode.Sequential"/>. The order is what keeps IPAM exact
/// without transactions (docs/DESIGN.md, IPAM): an allocation counts its addresses on the handle
/// before the block holds them, a release frees them in the block before the handle forgets them.
/// So the handle may count too many after a crash between the two writes (check reports it, gc
/// recounts it from the blocks), but a block never holds an address that no handle counts, and an
/// address is never handed out twice: the block, written with CAS, stays the one truth.
/// </summary>
public sealed partial class IpamClient
{
    /// <summary>
    /// Annotation stamped on every handle write of the sequential mode: when the handle last
    /// changed, so that gc recounts a handle only once no allocation can still be between its two
    /// writes (a grace period after this time), however old the handle itself is.
    /// </summary>
    public const string HandleWrittenAnnotation = "routednet.io/ipam-written";

    /// <summary>
    /// Step 1 of an allocation: the handle counts <paramref name="added"/> more addresses of the
    /// block, created blind when this call has not seen it yet (a new attachment has none).
    /// </summary>
    private async Task CountOnHandleAsync(AllocationContext context, string blockCidr, int added, CancellationToken cancellationToken)
    {
        var handleId = context.Request.HandleId;
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            var handle = context.Handle;
            if (handle is null && context.HandleMayExist)
            {
                handle = await ReadHandleAsync(handleId, fresh: attempt > 0, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                context.Handle = handle is null
                    ? await _store.CreateAsync(
                        StampWritten(new IPAMHandle
                        {
                            Metadata = new ObjectMeta { Name = handleId },
                            Spec = new IPAMHandleSpec { HandleId = handleId, Block = new Dictionary<string, int> { [blockCidr] = added } },
                        }),
                        cancellationToken).ConfigureAwait(false)
                    : await _store.UpdateAsync(StampWritten(WithCount(handle, blockCidr, added)), cancellationToken).ConfigureAwait(false);
                Remember(context.Handle);
                return;
            }
            catch (Exception e) when (IsLostRace(e))
            {
                (context.Handle, context.HandleMayExist) = (null, true);
            }
        }
        throw TooManyConflicts($"count addresses on handle {handleId}");
    }

    /// <summary>
    /// <see cref="AllocateFromBlockAsync"/> in steps: (1) the handle counts what the block can give
    /// by the copy in hand (a full block costs no write), (2) the block takes them in the next
    /// batched write (<see cref="ChangeBlockAsync"/>) together with the other allocations and
    /// releases waiting for it. What the batch could not give after all (a parallel request took
    /// it first) is given back to the handle.
    /// </summary>
    private async Task<(int Got, IPAMBlock? Full)> AllocateFromBlockInStepsAsync(
        AllocationContext context, PoolView pool, IPNetwork cidr, int need, string? owner, CancellationToken cancellationToken)
    {
        var name = BlockNames.ForBlock(cidr);
        var reserved = ReservedOrdinals.For(cidr, context.Request.Reserved);
        var coolDown = CoolDown(context.Config);
        var taken = new List<int>(need);
        try
        {
            var known = await ReadBlockAsync(name, fresh: false, cancellationToken).ConfigureAwait(false);
            if (known is null || IsGone(known, owner))
            {
                return (0, null);
            }
            var ask = BlockState.From(known.Spec).Allocate(need, context.Attribute, reserved, _time.GetUtcNow(), coolDown, taken);
            if (ask == 0)
            {
                return (0, known);
            }
            var blockCidr = known.Spec.Cidr;
            var ahead = context.Ahead.GetValueOrDefault(blockCidr);
            if (ask > ahead)
            {
                await CountOnHandleAsync(context, blockCidr, ask - ahead, cancellationToken).ConfigureAwait(false);
                context.Ahead[blockCidr] = ahead = ask;
            }
            var gone = false;
            var (got, block) = await ChangeBlockAsync(name, (read, state) =>
            {
                taken.Clear();
                gone = IsGone(read, owner);
                return gone ? 0 : state.Allocate(ask, context.Attribute, reserved, _time.GetUtcNow(), coolDown, taken);
            }, cancellationToken).ConfigureAwait(false);
            context.Ahead[blockCidr] = ahead - got;
            if (got == 0)
            {
                return (0, gone ? null : block);
            }
            foreach (var ordinal in taken)
            {
                context.Result.Add(new AllocatedAddress(IpMath.AddressAt(cidr, ordinal), cidr, pool.Name));
            }
            return (got, null);
        }
        finally
        {
            await GiveBackAheadAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>A block nothing may be allocated from: deleted, or no longer <paramref name="owner"/>'s (when given).</summary>
    private static bool IsGone(IPAMBlock block, string? owner) =>
        block.Spec.Deleted || (owner is not null && BlockNames.NodeOf(block.Spec.Affinity) != owner);

    /// <summary>
    /// Undoes what step 1 counted ahead of the block and the block did not take (a lost or given-up
    /// block write): best effort, for gc recounts whatever is left. Never cancelled midway.
    /// </summary>
    private async Task GiveBackAheadAsync(AllocationContext context)
    {
        foreach (var (blockCidr, count) in context.Ahead.ToArray())
        {
            context.Ahead.Remove(blockCidr);
            if (count <= 0)
            {
                continue;
            }
            (_, context.Handle) = await TryChangeHandleAsync(context.Request.HandleId, context.Handle, blockCidr, -count, CancellationToken.None).ConfigureAwait(false);
            context.HandleMayExist = true;
        }
    }

    /// <summary>
    /// Step 2 of a release (after the block freed the addresses): the handle counts
    /// <paramref name="delta"/> fewer for the block (null: forgets the block), and is deleted once
    /// it counts nothing. CAS on the version in hand; a lost race re-reads. Returns the handle as
    /// written (null when deleted or absent) and false after repeated conflicts, which leave an
    /// over-count for gc.
    /// </summary>
    private async Task<(bool Changed, IPAMHandle? Handle)> TryChangeHandleAsync(string handleId, IPAMHandle? known, string blockCidr, int? delta, CancellationToken cancellationToken)
    {
        var handle = known;
        for (var attempt = 0; attempt < _maxRetries; attempt++)
        {
            if (handle is null || attempt > 0)
            {
                handle = await ReadHandleAsync(handleId, fresh: true, cancellationToken).ConfigureAwait(false);
            }
            if (handle is null || !handle.Spec.Block.ContainsKey(blockCidr))
            {
                return (true, handle);
            }
            var counts = new Dictionary<string, int>(handle.Spec.Block);
            var left = delta is { } d ? counts[blockCidr] + d : 0;
            if (left > 0)
            {
                counts[blockCidr] = left;
            }
            else
            {
                counts.Remove(blockCidr);
            }
            try
            {
                if (counts.Count == 0)
                {
                    await _store.DeleteAsync<IPAMHandle>(handle.Metadata.Name, handle.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
                    ForgetHandle(handleId);
                    return (true, null);
                }
                var written = await _store.UpdateAsync(StampWritten(handle with { Spec = handle.Spec with { Block = counts } }), cancellationToken).ConfigureAwait(false);
                Remember(written);
                return (true, written);
            }
            catch (Exception e) when (IsLostRace(e))
            {
                // Changed or removed meanwhile (a gc recount, another release): read it again.
            }
        }
        return (false, null);
    }

    private static IPAMHandle WithCount(IPAMHandle handle, string blockCidr, int added)
    {
        var counts = new Dictionary<string, int>(handle.Spec.Block);
        counts[blockCidr] = counts.GetValueOrDefault(blockCidr) + added;
        return handle with { Spec = handle.Spec with { Block = counts } };
    }

    private IPAMHandle StampWritten(IPAMHandle handle)
    {
        var annotations = handle.Metadata.Annotations is { } existing
            ? new Dictionary<string, string>(existing, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        annotations[HandleWrittenAnnotation] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        return handle with { Metadata = handle.Metadata with { Annotations = annotations } };
    }

    /// <summary>When the handle last changed: its sequential-mode stamp, else its creation.</summary>
    private static DateTimeOffset LastWritten(IPAMHandle handle) =>
        handle.Metadata.Annotations?.GetValueOrDefault(HandleWrittenAnnotation) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var written)
            ? written
            : handle.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue;
}
