namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4271 §9.1.2.2 (e): lowest interior cost to the next hop, when both costs are known.</summary>
internal sealed class IgpCostStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.IgpCost;

    public int Compare(RoutePath a, RoutePath b) =>
        a.IgpCost is { } costA && b.IgpCost is { } costB ? costA.CompareTo(costB) : 0;
}
