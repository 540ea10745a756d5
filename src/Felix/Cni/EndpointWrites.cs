using RoutedNet.Datastore.Resources;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// Hands the WorkloadEndpoints the agent itself just wrote for a CNI ADD (sqlite, etcd) to its
/// datastore loop, which takes them as the store's watch would: the pod is programmed without
/// waiting for the watch to echo the write back (that round trip was most of CNI ADD's policy
/// wait, bench/cni-latency.sh -A -P). The echo then finds the same object (same resourceVersion)
/// and changes nothing.
/// </summary>
public sealed class EndpointWrites
{
    private Action<WorkloadEndpoint>? _sink;

    /// <summary>Where written endpoints go (the datastore loop, once).</summary>
    public void Attach(Action<WorkloadEndpoint> sink) => _sink = sink;

    public void Written(WorkloadEndpoint endpoint) => _sink?.Invoke(endpoint);
}
