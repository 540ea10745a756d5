namespace RoutedNet.Policy;

/// <summary>
/// The model's answer for a flow: allowed iff both directions allow. A side that is not an
/// endpoint (an address outside the cluster's endpoints) has no decision and does not restrict.
/// </summary>
public sealed record PolicyVerdict(bool Allowed, DirectionDecision? Egress, DirectionDecision? Ingress);
