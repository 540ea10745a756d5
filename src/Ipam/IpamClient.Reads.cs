using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;

namespace RoutedNet.Ipam;

/// <summary>Reads that a <see cref="Cache.NodeBlockCache"/> answers from memory when it can.</summary>
public sealed partial class IpamClient
{
    /// <summary>
    /// A block as cached (when <paramref name="fresh"/> is false and the cache holds it: one of the
    /// cache's node's blocks), else as read from the store now (and then cached).
    /// </summary>
    private async Task<IPAMBlock?> ReadBlockAsync(string name, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _cache?.GetBlock(name) is { } cached)
        {
            return cached;
        }
        var block = await _store.TryGetAsync<IPAMBlock>(name, cancellationToken).ConfigureAwait(false);
        if (_cache is not null)
        {
            if (block is null)
            {
                _cache.ForgetBlock(name);
            }
            else
            {
                _cache.Put(block);
            }
        }
        return block;
    }

    /// <summary>A handle as this process last wrote it (cache), else as read from the store now.</summary>
    private async Task<IPAMHandle?> ReadHandleAsync(string handleId, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _cache?.GetHandle(handleId) is { } cached)
        {
            return cached;
        }
        var handle = await _store.TryGetAsync<IPAMHandle>(handleId, cancellationToken).ConfigureAwait(false);
        if (_cache is not null)
        {
            if (handle is null)
            {
                _cache.ForgetHandle(handleId);
            }
            else
            {
                _cache.Put(handle);
            }
        }
        return handle;
    }

    /// <summary>The node's block affinities of one family (any state): cached for the cache's node, else read now.</summary>
    private async Task<List<(BlockAffinity Affinity, IPNetwork Cidr)>> ListAffinitiesAsync(string node, AddressFamily family, bool fresh, CancellationToken cancellationToken)
    {
        IReadOnlyList<BlockAffinity> all;
        if (!fresh && _cache is not null && _cache.Node == node && _cache.TryGetAffinities(out var cached))
        {
            all = cached;
        }
        else
        {
            all = (await _store.ListAsync<BlockAffinity>(cancellationToken).ConfigureAwait(false)).Items;
        }
        var mine = new List<(BlockAffinity, IPNetwork)>();
        foreach (var affinity in all)
        {
            if (affinity.Spec.Node == node && IPNetwork.TryParse(affinity.Spec.Cidr, out var cidr) && cidr.BaseAddress.AddressFamily == family)
            {
                mine.Add((affinity, cidr));
            }
        }
        // Name order, as a list returns them: the node fills its blocks in the same order every time.
        mine.Sort((a, b) => string.CompareOrdinal(a.Item1.Metadata.Name, b.Item1.Metadata.Name));
        return mine;
    }

    private void Remember(IPAMBlock block) => _cache?.Put(block);

    private void Remember(BlockAffinity affinity) => _cache?.Put(affinity);

    private void Remember(IPAMHandle handle) => _cache?.Put(handle);

    private void ForgetHandle(string handleId) => _cache?.ForgetHandle(handleId);

    /// <summary>Serialises this process's writes to one block when it has a cache (the agent); a no-op otherwise.</summary>
    private async Task<IDisposable?> LockBlockAsync(string name, CancellationToken cancellationToken) =>
        _cache is null ? null : await _cache.LockBlockAsync(name, cancellationToken).ConfigureAwait(false);

    /// <summary>The block holding <paramref name="address"/>: the node's own from the cache, else from a list.</summary>
    private async Task<IPAMBlock?> FindBlockAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (_cache is not null)
        {
            foreach (var own in _cache.Blocks())
            {
                if (IPNetwork.TryParse(own.Spec.Cidr, out var cidr) && cidr.Contains(address))
                {
                    return own;
                }
            }
        }
        var blocks = (await _store.ListAsync<IPAMBlock>(cancellationToken).ConfigureAwait(false)).Items;
        return blocks.FirstOrDefault(b => IPNetwork.TryParse(b.Spec.Cidr, out var cidr) && cidr.Contains(address));
    }
}
