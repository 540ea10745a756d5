namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>One tie-breaker of the decision process.</summary>
internal interface IDecisionStep
{
    DecisionReason Reason { get; }

    /// <summary>Negative when <paramref name="a"/> is preferred, positive when <paramref name="b"/> is, 0 on a tie.</summary>
    int Compare(RoutePath a, RoutePath b);
}
