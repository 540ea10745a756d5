using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Addressing;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// The addresses the blocks hold for <paramref name="handleId"/> (read from the blocks its handle
    /// counts, not from the handle's counts, which only say how many).
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>> GetHandleAddressesAsync(string handleId, CancellationToken cancellationToken = default)
    {
        var handle = await _store.TryGetAsync<IPAMHandle>(handleId, cancellationToken).ConfigureAwait(false);
        var held = new List<IPAddress>();
        foreach (var blockCidr in handle?.Spec.Block.Keys ?? [])
        {
            if (!IPNetwork.TryParse(blockCidr, out var cidr)
                || await _store.TryGetAsync<IPAMBlock>(BlockNames.ForBlock(cidr), cancellationToken).ConfigureAwait(false) is not { } block)
            {
                continue;
            }
            var state = BlockState.From(block.Spec);
            for (var ordinal = 0; ordinal < state.Size; ordinal++)
            {
                if (state.IsAllocated(ordinal) && state.AttributeAt(ordinal)?.HandleId == handleId)
                {
                    held.Add(IpMath.AddressAt(state.Cidr, ordinal));
                }
            }
        }
        return held;
    }

    /// <summary>
    /// CNI CHECK: compares what IPAM holds for <paramref name="handleId"/> with the addresses the
    /// runtime believes the attachment has (its prevResult). Every held address must be listed, and
    /// every listed address inside an IP pool must be held by this handle (addresses outside the
    /// pools came from another plugin of the chain and are not IPAM's to judge). Returns one line
    /// per disagreement; empty when they agree.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckHandleAsync(string handleId, IReadOnlyCollection<IPAddress> expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var held = (await GetHandleAddressesAsync(handleId, cancellationToken).ConfigureAwait(false)).ToHashSet();
        if (held.Count == 0)
        {
            return [$"no addresses are allocated to {handleId}"];
        }
        var problems = new List<string>();
        var listed = expected.ToHashSet();
        problems.AddRange(held.Where(a => !listed.Contains(a)).Select(a => $"{a} is allocated to {handleId} but prevResult does not list it"));
        var pools = await ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var address in listed.Where(a => !held.Contains(a) && pools.Any(p => p.Cidr.Contains(a))))
        {
            var holder = await GetAddressAsync(address, cancellationToken).ConfigureAwait(false);
            problems.Add($"prevResult lists {address} but IPAM does not hold it for {handleId} ({(holder is null ? "it is free" : $"handle {holder.HandleId} holds it")})");
        }
        return problems;
    }
}
