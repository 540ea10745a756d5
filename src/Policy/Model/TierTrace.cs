namespace RoutedNet.Policy;

/// <summary>
/// One tier's part in a decision, for explain: the policies that selected the endpoint (ids, in
/// evaluation order) and how the tier ended.
/// </summary>
/// <param name="Outcome">"allow", "deny", "pass" or "end-of-tier deny".</param>
public sealed record TierTrace(string Tier, IReadOnlyList<string> SelectedBy, string Outcome)
{
    /// <summary>The policy whose rule decided or passed (null for an end-of-tier deny).</summary>
    public string? Policy { get; init; }

    /// <summary>That rule's index in the policy's rules of the direction.</summary>
    public int? RuleIndex { get; init; }
}
