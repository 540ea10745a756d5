namespace RoutedNet.Felix.PolicyCounters;

/// <summary>One reading of the table's counters: per policy rule, and the drops no rule made.</summary>
public sealed record PolicyCounterSnapshot(IReadOnlyList<PolicyRuleCounter> Rules, IReadOnlyList<ImplicitDropCounter> ImplicitDrops)
{
    public static PolicyCounterSnapshot Empty { get; } = new([], []);
}
