namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4271 §9.1.2.2 (d): a path learned over eBGP beats one learned over iBGP.</summary>
internal sealed class ExternalOverInternalStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.ExternalOverInternal;

    public int Compare(RoutePath a, RoutePath b) => a.Source.IsInternal.CompareTo(b.Source.IsInternal);
}
