namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>
/// Runs the decision steps in order. The MED step is not transitive (it compares only within one
/// neighbour AS), so the winner is found by pairwise comparison, not by sorting; paths that tie with
/// the winner through the IGP-cost step form its ECMP set, ordered by the remaining tie-breakers.
/// </summary>
internal sealed class BestPathSelector(int maxPaths)
{
    private static readonly IDecisionStep[] Steps =
    [
        new LocalPreferenceStep(),
        new LocallyOriginatedStep(),
        new AsPathLengthStep(),
        new OriginStep(),
        new MultiExitDiscStep(),
        new ExternalOverInternalStep(),
        new IgpCostStep(),
        new RouterIdStep(),
        new ClusterListLengthStep(),
        new PeerAddressStep(),
        new PathIdStep(),
    ];

    private readonly int _maxPaths = Math.Max(1, maxPaths);

    public BestPathResult? Select(IReadOnlyList<RoutePath> candidates)
    {
        if (candidates.Count == 0)
        {
            return null;
        }
        var best = candidates[0];
        for (var i = 1; i < candidates.Count; i++)
        {
            if (Compare(candidates[i], best, out _) < 0)
            {
                best = candidates[i];
            }
        }
        if (candidates.Count == 1)
        {
            return best.Alone;
        }

        // The reported reason is the latest step needed to beat any rival: the closest contest.
        var reason = DecisionReason.OnlyPath;
        List<RoutePath>? multipath = null;
        foreach (var other in candidates)
        {
            if (ReferenceEquals(other, best))
            {
                continue;
            }
            Compare(best, other, out var decidedBy);
            if (decidedBy > reason)
            {
                reason = decidedBy;
            }
            if (_maxPaths > 1 && decidedBy > DecisionReason.IgpCost)
            {
                (multipath ??= [best]).Add(other);
            }
        }
        if (multipath is null)
        {
            return new BestPathResult(best, [best], reason);
        }
        multipath.Sort((a, b) => Compare(a, b, out _));
        if (multipath.Count > _maxPaths)
        {
            multipath.RemoveRange(_maxPaths, multipath.Count - _maxPaths);
        }
        return new BestPathResult(best, multipath, reason);
    }

    internal static int Compare(RoutePath a, RoutePath b, out DecisionReason decidedBy)
    {
        foreach (var step in Steps)
        {
            var result = step.Compare(a, b);
            if (result != 0)
            {
                decidedBy = step.Reason;
                return result;
            }
        }
        decidedBy = DecisionReason.PathId;
        return 0;
    }
}
