namespace RoutedNet.Datastore.Resources;

/// <summary>An address of a block released at <see cref="ReleasedAt"/>.</summary>
public sealed record ReleasedOrdinal
{
    public int Ordinal { get; init; }

    public DateTimeOffset ReleasedAt { get; init; }
}
