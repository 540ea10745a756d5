namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>The decision for one prefix: the best path, the equal-cost set it leads (best first), and the step that decided.</summary>
public sealed record BestPathResult(RoutePath Best, IReadOnlyList<RoutePath> Multipath, DecisionReason Reason)
{
    /// <summary>Learned from a peer, not originated by us: what the node agent installs in the kernel.</summary>
    public bool IsLearned => !Best.Source.IsLocal;

    /// <summary>What the node agent is told to install: a learned path, unless it was taken only to pass on (<see cref="RoutePath.PassOnOnly"/>).</summary>
    public bool Installs => IsLearned && !Best.PassOnOnly;
}
