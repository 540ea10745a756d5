namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>
/// RFC 4271 §9.1.2.2 (c): lowest MED, compared only between paths from the same neighbouring AS;
/// a missing MED counts as 0, the best value.
/// </summary>
internal sealed class MultiExitDiscStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.MultiExitDisc;

    public int Compare(RoutePath a, RoutePath b) =>
        a.Attributes.AsPath?.NeighborAs != b.Attributes.AsPath?.NeighborAs
            ? 0
            : (a.Attributes.MultiExitDisc ?? 0).CompareTo(b.Attributes.MultiExitDisc ?? 0);
}
