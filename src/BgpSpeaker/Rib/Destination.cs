using RoutedNet.BgpSpeaker.Rib.BestPath;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// All candidate paths for one prefix (at most one per peer, plus ours) and the current decision.
/// A struct stored in the Loc-RIB's dictionary, holding a lone candidate without any array: most
/// prefixes have exactly one, and a million of them should cost no object of their own.
/// </summary>
internal struct Destination
{
    /// <summary>Null, one <see cref="RoutePath"/>, or a <see cref="RoutePath"/>[] of two or more.</summary>
    private object? _paths;

    public BestPathResult? Best { get; set; }

    /// <summary>
    /// The node agent was last told to install a route for this prefix. Kept here rather than in a
    /// set of its own; a destination that lost its last path stays until its withdrawal is announced.
    /// </summary>
    public bool Installed { get; set; }

    public readonly int Count => _paths switch
    {
        null => 0,
        RoutePath => 1,
        _ => ((RoutePath[])_paths).Length,
    };

    public readonly IReadOnlyList<RoutePath> Paths => _paths switch
    {
        null => [],
        RoutePath one => [one],
        _ => (RoutePath[])_paths,
    };

    /// <summary>The decision over the current candidates.</summary>
    public readonly BestPathResult? Select(BestPathSelector selector) => _paths switch
    {
        null => null,
        RoutePath one => one.Alone,
        _ => selector.Select((RoutePath[])_paths),
    };

    /// <summary>Adds <paramref name="path"/>, replacing the one from the same origin.</summary>
    public void Set(RoutePath path)
    {
        switch (_paths)
        {
            case null:
                _paths = path;
                return;
            case RoutePath one:
                _paths = SameOrigin(one.Source, path.Source) ? path : new[] { one, path };
                return;
        }
        var many = (RoutePath[])_paths;
        var index = IndexOf(many, path.Source);
        if (index >= 0)
        {
            many[index] = path;
            return;
        }
        var grown = new RoutePath[many.Length + 1];
        many.CopyTo(grown, 0);
        grown[^1] = path;
        _paths = grown;
    }

    /// <summary>Removes the path from <paramref name="source"/>'s origin; false when there is none.</summary>
    public bool Remove(PathSource source)
    {
        switch (_paths)
        {
            case null:
                return false;
            case RoutePath one:
                if (!SameOrigin(one.Source, source))
                {
                    return false;
                }
                _paths = null;
                return true;
        }
        var many = (RoutePath[])_paths;
        var index = IndexOf(many, source);
        if (index < 0)
        {
            return false;
        }
        if (many.Length == 2)
        {
            _paths = many[1 - index];
            return true;
        }
        var shrunk = new RoutePath[many.Length - 1];
        Array.Copy(many, 0, shrunk, 0, index);
        Array.Copy(many, index + 1, shrunk, index, many.Length - index - 1);
        _paths = shrunk;
        return true;
    }

    /// <summary>Paths are replaced per peer address, across sessions: a restarted peer's new path replaces its stale one.</summary>
    public static bool SameOrigin(PathSource a, PathSource b) =>
        ReferenceEquals(a, b) || (a.IsLocal == b.IsLocal && a.PeerAddress.Equals(b.PeerAddress));

    private static int IndexOf(RoutePath[] paths, PathSource source)
    {
        for (var i = 0; i < paths.Length; i++)
        {
            if (SameOrigin(paths[i].Source, source))
            {
                return i;
            }
        }
        return -1;
    }
}
