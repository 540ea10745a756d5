namespace RoutedNet.Datastore.Resources;

/// <summary>The prefix lengths a <see cref="BGPFilterRule"/> matches, both ends included; an absent end is open.</summary>
public sealed record BGPFilterPrefixLength
{
    public int? Min { get; init; }

    public int? Max { get; init; }
}
