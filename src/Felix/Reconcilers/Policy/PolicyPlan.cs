namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The calculator's answer: the table to make true, and for each programmed host veth the endpoint
/// it enforces (acks to the CNI plugin name the container and whether its WorkloadEndpoint was known).
/// </summary>
public sealed record PolicyPlan(PolicyDataplane Dataplane, IReadOnlyDictionary<string, LocalEndpoint> Endpoints, long Revision)
{
    /// <summary>Policies that select at least one local endpoint.</summary>
    public int ActivePolicies { get; init; }

    /// <summary>The shared policy chains of the table and what each enforces (labels for their rule counters).</summary>
    public IReadOnlyDictionary<string, PolicyChainInfo> PolicyChains { get; init; } = new Dictionary<string, PolicyChainInfo>();

    /// <summary>Every policy the node knows.</summary>
    public int Policies { get; init; }

    /// <summary>Resources the calculation skipped (logged once each).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
