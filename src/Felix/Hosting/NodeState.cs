namespace RoutedNet.Felix.Hosting;

/// <summary>
/// The latest <see cref="NodeSummary"/>, published by the datastore side and read by the API.
/// Replaced whole (an immutable record), so readers never see a half-updated node.
/// </summary>
public sealed class NodeState(TimeProvider time)
{
    private volatile NodeSummary? _current;

    public DateTimeOffset Started { get; } = time.GetUtcNow();

    public NodeSummary? Current => _current;

    public void Publish(NodeSummary summary) => _current = summary;
}
