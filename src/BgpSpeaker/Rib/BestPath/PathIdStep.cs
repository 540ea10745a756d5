namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>
/// Paths one peer sent under different ADD-PATH identifiers (RFC 7911) tie on every step before:
/// the lowest <see cref="RoutePath.PathId"/> wins, so the choice and the ECMP order do not depend
/// on the order the paths arrived in. RFC 7911 leaves the decision process as it was; this is only
/// a tie-breaker.
/// </summary>
internal sealed class PathIdStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.PathId;

    public int Compare(RoutePath a, RoutePath b) => a.PathId.CompareTo(b.PathId);
}
