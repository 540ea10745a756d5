namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// One peer's accepted routes (after import policy), kept across its sessions so that graceful
/// restart can mark them stale and sweep what the peer does not re-send.
/// </summary>
internal sealed class AdjRibIn
{
    private readonly Dictionary<RibPrefix, RoutePath> _paths = [];

    public int Count => _paths.Count;

    public IEnumerable<KeyValuePair<RibPrefix, RoutePath>> Paths => _paths;

    public RoutePath? Get(RibPrefix prefix) => _paths.GetValueOrDefault(prefix);

    /// <summary>Stores <paramref name="path"/>; returns the path it replaced, if any.</summary>
    public RoutePath? Set(RibPrefix prefix, RoutePath path)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_paths, prefix, out _);
        var old = slot;
        slot = path;
        return old;
    }

    public RoutePath? Remove(RibPrefix prefix) => _paths.Remove(prefix, out var old) ? old : null;

    /// <summary>Marks the routes of one family stale (RFC 4724 §4.2); returns how many.</summary>
    public int MarkStale(System.Net.Sockets.AddressFamily family)
    {
        var count = 0;
        foreach (var (prefix, path) in _paths)
        {
            if (Codec.Families.AddressFamilyOf(prefix) == family)
            {
                path.IsStale = true;
                count++;
            }
        }
        return count;
    }

    /// <summary>The prefixes still stale in one family (null: every family), for the caller to withdraw.</summary>
    public List<RibPrefix> StalePrefixes(System.Net.Sockets.AddressFamily? family)
    {
        var stale = new List<RibPrefix>();
        foreach (var (prefix, path) in _paths)
        {
            if (path.IsStale && (family is null || Codec.Families.AddressFamilyOf(prefix) == family))
            {
                stale.Add(prefix);
            }
        }
        return stale;
    }
}
