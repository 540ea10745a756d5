using RoutedNet.BgpSpeaker.Rib.BestPath;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>All candidate paths for one prefix (at most one per peer, plus ours) and the current decision.</summary>
internal sealed class Destination
{
    public List<RoutePath> Paths { get; } = new(1);

    public BestPathResult? Best { get; set; }

    public int IndexOf(PathSource source)
    {
        for (var i = 0; i < Paths.Count; i++)
        {
            if (SameOrigin(Paths[i].Source, source))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Paths are replaced per peer address, across sessions: a restarted peer's new path replaces its stale one.</summary>
    public static bool SameOrigin(PathSource a, PathSource b) =>
        ReferenceEquals(a, b) || (a.IsLocal == b.IsLocal && a.PeerAddress.Equals(b.PeerAddress));
}
