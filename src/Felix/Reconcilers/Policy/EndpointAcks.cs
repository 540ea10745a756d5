namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The CNI plugin's wait for "endpoint programmed" (lab notes netpol §6, pod-start guarantee): an
/// ADD asks for its host veth and container, and is answered once a commit put that endpoint's
/// chains, map entries and set memberships in force, or when its timeout runs out (the pod then
/// stays closed, never open). The policy loop reports every commit here; waits come from any thread.
/// </summary>
public sealed class EndpointAcks
{
    private readonly Lock _lock = new();
    private readonly List<Waiter> _waiters = [];
    private IReadOnlyDictionary<string, LocalEndpoint> _programmed = new Dictionary<string, LocalEndpoint>(StringComparer.Ordinal);

    /// <summary>
    /// True once <paramref name="hostInterface"/> is programmed for <paramref name="containerId"/>
    /// (empty: any container) and, with <paramref name="requireEndpoint"/>, from its WorkloadEndpoint
    /// rather than the attachment record alone; false when <paramref name="timeout"/> ran out first.
    /// </summary>
    public async Task<bool> WaitAsync(string hostInterface, string containerId, bool requireEndpoint, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(hostInterface, containerId, requireEndpoint);
        lock (_lock)
        {
            if (waiter.SatisfiedBy(_programmed))
            {
                return true;
            }
            _waiters.Add(waiter);
        }
        try
        {
            await waiter.Done.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The endpoints the last commit put in force (by host veth).</summary>
    public void Programmed(IReadOnlyDictionary<string, LocalEndpoint> endpoints)
    {
        lock (_lock)
        {
            _programmed = endpoints;
            foreach (var waiter in _waiters.Where(w => w.SatisfiedBy(endpoints)))
            {
                waiter.Done.TrySetResult();
            }
        }
    }

    private sealed class Waiter(string hostInterface, string containerId, bool requireEndpoint)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SatisfiedBy(IReadOnlyDictionary<string, LocalEndpoint> programmed) =>
            programmed.TryGetValue(hostInterface, out var endpoint)
            && (containerId.Length == 0 || endpoint.ContainerId == containerId)
            && (!requireEndpoint || endpoint.FromDatastore);
    }
}
