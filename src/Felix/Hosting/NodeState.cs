namespace RoutedNet.Felix.Hosting;

/// <summary>
/// The latest <see cref="NodeSummary"/>, published by the datastore side and read by the API.
/// Replaced whole (an immutable record), so readers never see a half-updated node.
/// </summary>
public sealed class NodeState(TimeProvider time)
{
    private volatile NodeSummary? _current;
    private volatile IReadOnlyList<RoutedNet.Datastore.Resources.WorkloadEndpoint> _endpoints = [];

    public DateTimeOffset Started { get; } = time.GetUtcNow();

    public NodeSummary? Current => _current;

    public void Publish(NodeSummary summary) => _current = summary;

    /// <summary>This node's WorkloadEndpoints as last computed, ordered by name.</summary>
    public IReadOnlyList<RoutedNet.Datastore.Resources.WorkloadEndpoint> WorkloadEndpoints => _endpoints;

    private volatile IReadOnlyList<AdvertisedPrefix> _advertised = [];

    /// <summary>What the node originates into BGP and why (`bgp advertised`), ordered by prefix.</summary>
    public IReadOnlyList<AdvertisedPrefix> Advertised => _advertised;

    public void PublishAdvertised(IReadOnlyList<AdvertisedPrefix> advertised) => _advertised = advertised;

    public void PublishWorkloadEndpoints(IReadOnlyList<RoutedNet.Datastore.Resources.WorkloadEndpoint> endpoints) => _endpoints = endpoints;
}
