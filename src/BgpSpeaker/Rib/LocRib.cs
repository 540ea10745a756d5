using RoutedNet.BgpSpeaker.Rib.BestPath;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// The Loc-RIB (RFC 4271 §3.2): every candidate per prefix and the decision over them. Owned by the
/// speaker loop alone, so it takes no locks. Each mutation reports whether the decision changed,
/// which is what the loop exports to peers and streams to the node agent.
/// </summary>
internal sealed class LocRib(BestPathSelector selector)
{
    private readonly Dictionary<RibPrefix, Destination> _destinations = [];

    public int Count => _destinations.Count;

    /// <summary>Adds <paramref name="path"/>, replacing the one from the same peer; true when the decision changed.</summary>
    public bool Set(RibPrefix prefix, RoutePath path)
    {
        if (!_destinations.TryGetValue(prefix, out var destination))
        {
            destination = new Destination();
            _destinations.Add(prefix, destination);
        }
        var index = destination.IndexOf(path.Source);
        if (index >= 0)
        {
            destination.Paths[index] = path;
        }
        else
        {
            destination.Paths.Add(path);
        }
        return Decide(destination);
    }

    /// <summary>Removes the path from <paramref name="source"/>'s peer; true when the decision changed.</summary>
    public bool Remove(RibPrefix prefix, PathSource source)
    {
        if (!_destinations.TryGetValue(prefix, out var destination))
        {
            return false;
        }
        var index = destination.IndexOf(source);
        if (index < 0)
        {
            return false;
        }
        destination.Paths.RemoveAt(index);
        if (destination.Paths.Count == 0)
        {
            _destinations.Remove(prefix);
            return true;
        }
        return Decide(destination);
    }

    public BestPathResult? Best(RibPrefix prefix) =>
        _destinations.TryGetValue(prefix, out var destination) ? destination.Best : null;

    public IReadOnlyList<RoutePath> Candidates(RibPrefix prefix) =>
        _destinations.TryGetValue(prefix, out var destination) ? destination.Paths : [];

    public IEnumerable<KeyValuePair<RibPrefix, BestPathResult>> AllBest()
    {
        foreach (var (prefix, destination) in _destinations)
        {
            if (destination.Best is { } best)
            {
                yield return new(prefix, best);
            }
        }
    }

    private bool Decide(Destination destination)
    {
        var before = destination.Best;
        var after = selector.Select(destination.Paths);
        destination.Best = after;
        return !SameDecision(before, after);
    }

    private static bool SameDecision(BestPathResult? a, BestPathResult? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        if (!ReferenceEquals(a.Best, b.Best) || a.Multipath.Count != b.Multipath.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Multipath.Count; i++)
        {
            if (!ReferenceEquals(a.Multipath[i], b.Multipath[i]))
            {
                return false;
            }
        }
        return true;
    }
}
