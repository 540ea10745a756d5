namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4271 §9.1.2.2 (a): shortest AS_PATH (a set counts as one).</summary>
internal sealed class AsPathLengthStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.AsPathLength;

    public int Compare(RoutePath a, RoutePath b) => Length(a).CompareTo(Length(b));

    private static int Length(RoutePath path) => path.Attributes.AsPath?.PathLength ?? 0;
}
