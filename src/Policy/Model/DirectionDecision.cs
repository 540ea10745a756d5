namespace RoutedNet.Policy;

/// <summary>
/// The verdict of one direction at one endpoint: allowed or not, why, and where: the deciding
/// tier, policy (<see cref="PolicyDefinition.Id"/>) and rule index (0-based in that direction's
/// rules) for <see cref="DecisionReason.Rule"/>; the tier for <see cref="DecisionReason.EndOfTier"/>.
/// <see cref="Tiers"/> lists every tier that selected the endpoint, in order.
/// </summary>
public sealed record DirectionDecision(
    PolicyDirection Direction,
    string Endpoint,
    bool Allowed,
    DecisionReason Reason,
    string? Tier,
    string? Policy,
    int? RuleIndex,
    IReadOnlyList<TierTrace> Tiers)
{
    /// <summary>One line: "allow: tier default, policy x/allow-web rule 0", "deny: tier default: selected by x/deny-ingress, no rule matched", ...</summary>
    public string Describe()
    {
        var verdict = Allowed ? "allow" : "deny";
        return Reason switch
        {
            DecisionReason.Rule => $"{verdict}: tier {Tier}, policy {Policy} {Direction.ToString().ToLowerInvariant()} rule {RuleIndex}",
            DecisionReason.EndOfTier => $"deny: tier {Tier}: selected by {string.Join(", ", Tiers.LastOrDefault()?.SelectedBy ?? [])}, no rule matched",
            DecisionReason.Passed => "allow: every selecting tier passed, no later tier selected it",
            _ => "allow: no policy selects it",
        };
    }
}
