using System.Net;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// One peer's accepted routes (after import policy), kept across its sessions so that graceful
/// restart can mark them stale and sweep what the peer does not re-send. A view of the Loc-RIB,
/// not a table of its own: the paths from the peer's address there are exactly its accepted routes,
/// so a full table costs one prefix-keyed entry rather than two (62 MB less at 1M routes).
/// </summary>
internal sealed class AdjRibIn(LocRib rib, IPAddress peer)
{
    public int Count { get; private set; }

    /// <summary>The peer's routes; walks the whole Loc-RIB (only for a peer's coming and going and policy changes).</summary>
    public IEnumerable<KeyValuePair<RibPrefix, RoutePath>> Paths => rib.PathsFrom(peer);

    /// <summary>Stores <paramref name="path"/> in the Loc-RIB; returns the path of this peer it replaced, if any.</summary>
    public RoutePath? Set(RibPrefix prefix, RoutePath path, out bool decisionChanged)
    {
        decisionChanged = rib.Set(prefix, path, out var old);
        if (old is null)
        {
            Count++;
        }
        return old;
    }

    /// <summary>
    /// Removes this peer's path with <paramref name="pathId"/> (<see cref="RoutePath.PathId"/>, 0
    /// without ADD-PATH) from the Loc-RIB; returns it, or null when it had none.
    /// </summary>
    public RoutePath? Remove(RibPrefix prefix, uint pathId, out bool decisionChanged)
    {
        decisionChanged = rib.Remove(prefix, peer, pathId, out var old);
        if (old is not null)
        {
            Count--;
        }
        return old;
    }

    /// <summary>Marks the routes of one family stale (RFC 4724 §4.2), each ADD-PATH path on its own; returns how many.</summary>
    public int MarkStale(System.Net.Sockets.AddressFamily family)
    {
        var count = 0;
        foreach (var (prefix, path) in Paths)
        {
            if (Codec.Families.AddressFamilyOf(prefix) == family)
            {
                path.IsStale = true;
                count++;
            }
        }
        return count;
    }

    /// <summary>The paths still stale in one family (null: every family), by prefix and <see cref="RoutePath.PathId"/>, for the caller to withdraw.</summary>
    public List<(RibPrefix Prefix, uint PathId)> StalePaths(System.Net.Sockets.AddressFamily? family)
    {
        var stale = new List<(RibPrefix, uint)>();
        foreach (var (prefix, path) in Paths)
        {
            if (path.IsStale && (family is null || Codec.Families.AddressFamilyOf(prefix) == family))
            {
                stale.Add((prefix, path.PathId));
            }
        }
        return stale;
    }
}
