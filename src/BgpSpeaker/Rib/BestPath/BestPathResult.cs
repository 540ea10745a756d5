namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>The decision for one prefix: the best path, the equal-cost set it leads (best first), and the step that decided.</summary>
public sealed record BestPathResult(RoutePath Best, IReadOnlyList<RoutePath> Multipath, DecisionReason Reason);
