namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>
/// RFC 4271 §9.1.2.2 (f): lowest BGP identifier of the advertising speaker; RFC 4456 §9 uses
/// ORIGINATOR_ID in its place for reflected routes.
/// </summary>
internal sealed class RouterIdStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.RouterId;

    public int Compare(RoutePath a, RoutePath b) => Effective(a).CompareTo(Effective(b));

    private static uint Effective(RoutePath path) => path.Attributes.OriginatorId ?? path.Source.RouterId;
}
