namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4456 §9: shorter CLUSTER_LIST wins before the peer address decides.</summary>
internal sealed class ClusterListLengthStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.ClusterListLength;

    public int Compare(RoutePath a, RoutePath b) => a.Attributes.ClusterList.Length.CompareTo(b.Attributes.ClusterList.Length);
}
