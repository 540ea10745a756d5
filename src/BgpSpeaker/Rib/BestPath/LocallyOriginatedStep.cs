namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>Our own prefix beats a learned copy of it: a node's block must stay a blackhole here, not a route to a neighbour.</summary>
internal sealed class LocallyOriginatedStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.LocallyOriginated;

    public int Compare(RoutePath a, RoutePath b) => b.Source.IsLocal.CompareTo(a.Source.IsLocal);
}
