using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4271 §9.1.2.2 (b): lowest ORIGIN (IGP &lt; EGP &lt; INCOMPLETE).</summary>
internal sealed class OriginStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.Origin;

    public int Compare(RoutePath a, RoutePath b) => (a.Attributes.Origin ?? Origin.Incomplete).CompareTo(b.Attributes.Origin ?? Origin.Incomplete);
}
