namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>Which step of the decision process (RFC 4271 §9.1.2.2, RFC 4456 §9) chose the best path, in the order they run.</summary>
public enum DecisionReason
{
    /// <summary>There was no other candidate.</summary>
    OnlyPath,
    LocalPreference,
    LocallyOriginated,
    AsPathLength,
    Origin,
    MultiExitDisc,
    ExternalOverInternal,
    IgpCost,
    RouterId,
    ClusterListLength,
    PeerAddress,

    /// <summary>Two paths of one peer under different ADD-PATH identifiers (RFC 7911): the lowest.</summary>
    PathId,
}
