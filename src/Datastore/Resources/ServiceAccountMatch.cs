namespace RoutedNet.Datastore.Resources;

/// <summary>Calico's ServiceAccountMatch: the end's endpoint runs as one of <see cref="Names"/> and/or a service account whose labels match.</summary>
public sealed record ServiceAccountMatch
{
    public IReadOnlyList<string>? Names { get; init; }

    public string? Selector { get; init; }
}
