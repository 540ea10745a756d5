using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// Hands the WorkloadEndpoints the agent itself just wrote for a CNI ADD (sqlite, etcd) to its
/// datastore loop, which takes them as the store's watch would: the pod is programmed without
/// waiting for the watch to echo the write back. The echo then finds the same object (same
/// resourceVersion) and changes nothing. Measured, this gained nothing visible in CNI ADD's policy
/// wait (docs/BENCHMARKS.md: the wait was the round trips between plugin and agent, not the
/// watch); it is kept because it takes the watch's delay out of the pod's closed window.
/// </summary>
public sealed class EndpointWrites
{
    private Action<WorkloadEndpoint>? _sink;

    /// <summary>Where written endpoints go (the datastore loop, once).</summary>
    public void Attach(Action<WorkloadEndpoint> sink) => _sink = sink;

    public void Written(WorkloadEndpoint endpoint) => _sink?.Invoke(endpoint);
}
