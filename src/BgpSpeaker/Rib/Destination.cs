using System.Net;
using RoutedNet.BgpSpeaker.Rib.BestPath;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// All candidate paths for one prefix (at most one per peer and ADD-PATH identifier, plus ours) and
/// the current decision.
/// The candidates are also each peer's Adj-RIB-In (RFC 4271 §3.2, after import policy): a peer's
/// accepted routes are the paths from its address here, so a full table is held in one
/// prefix-keyed table rather than two.
/// A struct stored in the Loc-RIB's dictionary, holding a lone candidate without any array: most
/// prefixes have exactly one, and a million of them should cost no object of their own.
/// </summary>
internal struct Destination
{
    /// <summary>
    /// Null, one <see cref="RoutePath"/> (whose decision is <see cref="RoutePath.Alone"/>, shared
    /// by every prefix of its announcement), or <see cref="Candidates"/> for two or more. The decision
    /// lives in the same field, so an entry of the Loc-RIB's dictionary is a reference and a flag.
    /// </summary>
    private object? _paths;

    /// <summary>
    /// The node agent was last told to install a route for this prefix. Kept here rather than in a
    /// set of its own; a destination that lost its last path stays until its withdrawal is announced.
    /// </summary>
    public bool Installed { get; set; }

    /// <summary>The decision over the candidates as of the last <see cref="Reselect"/>.</summary>
    public readonly BestPathResult? Best => _paths switch
    {
        null => null,
        RoutePath one => one.Alone,
        _ => ((Candidates)_paths).Best,
    };

    public readonly int Count => _paths switch
    {
        null => 0,
        RoutePath => 1,
        _ => ((Candidates)_paths).Paths.Length,
    };

    public readonly IReadOnlyList<RoutePath> Paths => _paths switch
    {
        null => [],
        RoutePath one => [one],
        _ => ((Candidates)_paths).Paths,
    };

    /// <summary>Runs the decision over the current candidates (a lone path's needs none).</summary>
    public readonly void Reselect(BestPathSelector selector)
    {
        if (_paths is Candidates many)
        {
            many.Best = selector.Select(many.Paths);
        }
    }

    /// <summary>Adds <paramref name="path"/>, replacing the one from the same origin; returns the one replaced.</summary>
    public RoutePath? Set(RoutePath path)
    {
        var origin = OriginOf(path.Source);
        RoutePath? replaced;
        switch (_paths)
        {
            case null:
                _paths = path;
                return null;
            case RoutePath one:
                replaced = From(one, origin, path.PathId) ? one : null;
                _paths = replaced is not null ? path : new Candidates([one, path]);
                return replaced;
        }
        var many = (Candidates)_paths;
        var index = IndexOf(many.Paths, origin, path.PathId);
        if (index >= 0)
        {
            replaced = many.Paths[index];
            many.Paths[index] = path;
            return replaced;
        }
        var grown = new RoutePath[many.Paths.Length + 1];
        many.Paths.CopyTo(grown, 0);
        grown[^1] = path;
        many.Paths = grown;
        return null;
    }

    /// <summary>
    /// The next path from <paramref name="peer"/> (any ADD-PATH identifier) at or after
    /// <paramref name="index"/>, which is moved past it; null when there is none. A peer without
    /// ADD-PATH has at most one; one with it may have several.
    /// </summary>
    public readonly RoutePath? NextFrom(IPAddress peer, ref int index)
    {
        switch (_paths)
        {
            case null:
                return null;
            case RoutePath one:
                var first = index == 0;
                index = 1;
                return first && From(one, peer) ? one : null;
        }
        var many = ((Candidates)_paths).Paths;
        for (; index < many.Length; index++)
        {
            if (From(many[index], peer))
            {
                return many[index++];
            }
        }
        return null;
    }

    /// <summary>
    /// Removes the path from <paramref name="peer"/> (null: ours) with <paramref name="pathId"/>
    /// (<see cref="RoutePath.PathId"/>, 0 without ADD-PATH); returns it, or null when there is none.
    /// </summary>
    public RoutePath? Remove(IPAddress? peer, uint pathId)
    {
        switch (_paths)
        {
            case null:
                return null;
            case RoutePath one:
                if (!From(one, peer, pathId))
                {
                    return null;
                }
                _paths = null;
                return one;
        }
        var candidates = (Candidates)_paths;
        var many = candidates.Paths;
        var index = IndexOf(many, peer, pathId);
        if (index < 0)
        {
            return null;
        }
        var removed = many[index];
        if (many.Length == 2)
        {
            _paths = many[1 - index];
            return removed;
        }
        var shrunk = new RoutePath[many.Length - 1];
        Array.Copy(many, 0, shrunk, 0, index);
        Array.Copy(many, index + 1, shrunk, index, many.Length - index - 1);
        candidates.Paths = shrunk;
        return removed;
    }

    /// <summary>
    /// Paths are replaced per origin and ADD-PATH identifier: the peer's address, across sessions
    /// (a restarted peer's new path replaces its stale one), or null for what we originate.
    /// </summary>
    public static IPAddress? OriginOf(PathSource source) => source.IsLocal ? null : source.PeerAddress;

    private static bool From(RoutePath path, IPAddress? peer) =>
        peer is null ? path.Source.IsLocal : !path.Source.IsLocal && path.Source.PeerAddress.Equals(peer);

    private static bool From(RoutePath path, IPAddress? peer, uint pathId) => path.PathId == pathId && From(path, peer);

    private static int IndexOf(RoutePath[] paths, IPAddress? peer, uint pathId)
    {
        for (var i = 0; i < paths.Length; i++)
        {
            if (From(paths[i], peer, pathId))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Two or more candidates and the decision over them (a prefix several peers announce).</summary>
    private sealed class Candidates(RoutePath[] paths)
    {
        public RoutePath[] Paths { get; set; } = paths;

        public BestPathResult? Best { get; set; }
    }
}
