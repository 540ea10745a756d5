namespace RoutedNet.Felix.Bgp;

/// <summary>Where the node is in a drain (Node spec.drain, `routednetctl node drain`).</summary>
public enum DrainPhase
{
    /// <summary>No drain: routes announced as usual.</summary>
    InService,

    /// <summary>Every route announced with GRACEFUL_SHUTDOWN (65535:0) until the withdraw time.</summary>
    GracefulShutdown,

    /// <summary>Everything withdrawn, sessions closed, none opened again until the drain is undone.</summary>
    Drained,
}
