namespace RoutedNet.Datastore.Resources;

/// <summary>Calico's ICMPFields: a type (0–254) and optionally a code (0–255; needs a type).</summary>
public sealed record IcmpFields
{
    public int? Type { get; init; }

    public int? Code { get; init; }
}
