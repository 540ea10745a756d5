namespace RoutedNet.Policy;

/// <summary>
/// One tier's part in a decision, for explain: the policies that selected the endpoint (ids, in
/// evaluation order) and how the tier ended.
/// </summary>
/// <param name="Outcome">"allow", "deny", "pass" or "end-of-tier deny".</param>
public sealed record TierTrace(string Tier, IReadOnlyList<string> SelectedBy, string Outcome);
