namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The CNI plugin's wait for "endpoint programmed" (lab notes netpol §6, pod-start guarantee): an
/// ADD asks for its host veth and container, and is answered once a commit put that endpoint's
/// chains, map entries and set memberships in force, or when its timeout runs out (the pod then
/// stays closed, never open). The policy loop reports every commit here; waits come from any thread.
/// </summary>
public sealed class EndpointAcks
{
    private readonly Waiters<IReadOnlyDictionary<string, LocalEndpoint>> _programmed = new(new Dictionary<string, LocalEndpoint>(StringComparer.Ordinal));

    /// <summary>
    /// True once <paramref name="hostInterface"/> is programmed for <paramref name="containerId"/>
    /// (empty: any container) and, with <paramref name="requireEndpoint"/>, from its WorkloadEndpoint
    /// rather than the attachment record alone; false when <paramref name="timeout"/> ran out first.
    /// </summary>
    public Task<bool> WaitAsync(string hostInterface, string containerId, bool requireEndpoint, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _programmed.WaitAsync(
            programmed => programmed.TryGetValue(hostInterface, out var endpoint)
                && (containerId.Length == 0 || endpoint.ContainerId == containerId)
                && (!requireEndpoint || endpoint.FromDatastore),
            timeout,
            time,
            cancellationToken);

    /// <summary>The endpoints the last commit put in force (by host veth).</summary>
    public void Programmed(IReadOnlyDictionary<string, LocalEndpoint> endpoints) => _programmed.Publish(endpoints);
}
