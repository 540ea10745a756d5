namespace RoutedNet.Datastore.Resources;

/// <summary>
/// The spec of <see cref="NetworkPolicy"/> and <see cref="GlobalNetworkPolicy"/>, with Calico v3's
/// field names (host-endpoint and L7 fields left out). Evaluation (RoutedNet.Policy.PolicyModel):
/// tiers admin → default → baseline; inside a tier by <see cref="Order"/> (null last), ties by name;
/// the first matching Allow or Deny decides, Pass goes to the next tier, Log goes on; a tier in which
/// a policy selected the endpoint but no rule decided ends in Deny.
/// </summary>
public sealed record PolicySpec
{
    public const string TierAdmin = "admin";
    public const string TierDefault = "default";
    public const string TierBaseline = "baseline";

    public const string TypeIngress = "Ingress";
    public const string TypeEgress = "Egress";

    /// <summary>The tiers in evaluation order; v1 has exactly these (Calico's kube-admin, default, kube-baseline).</summary>
    public static readonly IReadOnlyList<string> Tiers = [TierAdmin, TierDefault, TierBaseline];

    /// <summary>admin, default or baseline; null means default.</summary>
    public string? Tier { get; init; }

    /// <summary>Lower first within the tier; null after every ordered policy.</summary>
    public double? Order { get; init; }

    /// <summary>Which endpoints the policy applies to (Calico selector syntax); null or empty means all().</summary>
    public string? Selector { get; init; }

    /// <summary>GlobalNetworkPolicy only: the namespaces (by their labels) whose endpoints it applies to.</summary>
    public string? NamespaceSelector { get; init; }

    /// <summary>Applies only to endpoints whose service account's labels match (a service account's labels are routednet.io/name=NAME).</summary>
    public string? ServiceAccountSelector { get; init; }

    /// <summary>
    /// Ingress and/or Egress. Null or empty defaults as Calico does: Ingress, plus Egress when there
    /// are egress rules, and only Egress when there are egress rules and no ingress rules.
    /// </summary>
    public IReadOnlyList<string>? Types { get; init; }

    public IReadOnlyList<PolicyRule>? Ingress { get; init; }

    public IReadOnlyList<PolicyRule>? Egress { get; init; }
}
