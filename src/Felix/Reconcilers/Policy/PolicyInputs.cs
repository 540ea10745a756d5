using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// What the policy calculation reads, handed over by the datastore loop after every batch of
/// changes: this node's pods, and the model's snapshot of every endpoint of the cluster (selector
/// sets hold remote pods' addresses too), namespaces and policies. <see cref="Revision"/> is the
/// highest datastore revision among the policy-relevant kinds seen so far: once this input is
/// committed, the node enforces that revision.
/// </summary>
public sealed record PolicyInputs(long Revision, IReadOnlyList<LocalEndpoint> LocalEndpoints)
{
    public PolicySnapshot Snapshot { get; init; } = PolicySnapshot.Empty;
}
