namespace RoutedNet.Datastore.Resources;

/// <summary>A Kubernetes LabelSelector: every matchLabels pair and every requirement must hold; empty selects everything.</summary>
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }

    public IReadOnlyList<LabelSelectorRequirement>? MatchExpressions { get; init; }
}
