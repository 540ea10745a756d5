using System.Net;
using System.Runtime.CompilerServices;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// The Loc-RIB (RFC 4271 §3.2): every candidate per prefix and the decision over them. Owned by the
/// speaker loop alone, so it takes no locks. Each mutation reports whether the decision changed,
/// which is what the loop exports to peers and streams to the node agent. It is also every peer's
/// Adj-RIB-In (see <see cref="Destination"/>).
/// </summary>
internal sealed class LocRib(BestPathSelector selector)
{
    private readonly PrefixTable<Destination> _destinations = new();

    /// <summary>Prefixes held: those with candidates, and those whose kernel withdrawal is not yet announced.</summary>
    public int Count => _destinations.Count;

    /// <summary>Adds <paramref name="path"/>, replacing the one from the same peer and ADD-PATH identifier; true when the decision changed.</summary>
    public bool Set(RibPrefix prefix, RoutePath path) => Set(prefix, path, out _);

    /// <summary>As <see cref="Set(RibPrefix, RoutePath)"/>; <paramref name="replaced"/> is the path from the same origin it replaced.</summary>
    public bool Set(RibPrefix prefix, RoutePath path, out RoutePath? replaced)
    {
        ref var destination = ref _destinations.GetValueRefOrAddDefault(prefix, out _);
        var before = destination.Best;
        replaced = destination.Set(path);
        return Decide(ref destination, before);
    }

    /// <summary>Removes the path from <paramref name="source"/>'s peer; true when the decision changed.</summary>
    public bool Remove(RibPrefix prefix, PathSource source) => Remove(prefix, Destination.OriginOf(source), pathId: 0, out _);

    /// <summary>
    /// Removes the path from <paramref name="peer"/> (null: ours) with <paramref name="pathId"/>
    /// (<see cref="RoutePath.PathId"/>), returned in <paramref name="removed"/> (null when there
    /// was none); true when the decision changed.
    /// </summary>
    public bool Remove(RibPrefix prefix, IPAddress? peer, uint pathId, out RoutePath? removed)
    {
        ref var destination = ref _destinations.GetValueRefOrNullRef(prefix);
        if (Unsafe.IsNullRef(ref destination))
        {
            removed = null;
            return false;
        }
        var before = destination.Best;
        removed = destination.Remove(peer, pathId);
        if (removed is null)
        {
            return false;
        }
        if (destination.Count == 0 && !destination.Installed)
        {
            _destinations.Remove(prefix);
            return true;
        }
        return Decide(ref destination, before);
    }

    /// <summary>
    /// One peer's Adj-RIB-In: every path from <paramref name="peer"/> (several for a prefix where it
    /// sends ADD-PATH identifiers) with its prefix. Walks the whole
    /// table, which only a peer's coming and going (stale marking, sweeps, dropping its routes) and
    /// an import policy change need; the per-route paths look up one prefix.
    /// </summary>
    public IEnumerable<KeyValuePair<RibPrefix, RoutePath>> PathsFrom(IPAddress peer)
    {
        foreach (var (prefix, destination) in _destinations)
        {
            var index = 0;
            while (destination.NextFrom(peer, ref index) is { } path)
            {
                yield return new(prefix, path);
            }
        }
    }

    /// <summary>
    /// The decision for <paramref name="prefix"/> as it goes out to peers and the node agent, in one
    /// lookup: records that the agent is now told to install it (a learned best path) or not, and
    /// returns in <paramref name="wasInstalled"/> whether it had been. A prefix without candidates
    /// is forgotten once it is no longer installed.
    /// </summary>
    public BestPathResult? TakeDecision(RibPrefix prefix, out bool wasInstalled)
    {
        ref var destination = ref _destinations.GetValueRefOrNullRef(prefix);
        if (Unsafe.IsNullRef(ref destination))
        {
            wasInstalled = false;
            return null;
        }
        var best = destination.Best;
        wasInstalled = destination.Installed;
        destination.Installed = best is { Installs: true };
        if (destination.Count == 0 && !destination.Installed)
        {
            _destinations.Remove(prefix);
        }
        return best;
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

    /// <summary>Decides again after a change of candidates; true when the decision differs from <paramref name="before"/>.</summary>
    private bool Decide(ref Destination destination, BestPathResult? before)
    {
        destination.Reselect(selector);
        return !SameDecision(before, destination.Best);
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
