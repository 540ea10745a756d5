namespace RoutedNet.Datastore.Resources;

/// <summary>
/// BGPConfiguration <c>prefixAdvertisements</c> entry (Calico's): every route this node sends whose
/// prefix lies inside <see cref="Cidr"/> carries <see cref="Communities"/>, each a name from
/// <c>communities</c> or a literal "AS:N" / "AS:N:M".
/// </summary>
public sealed record BGPPrefixAdvertisement
{
    public string Cidr { get; init => field = value ?? ""; } = "";

    public IReadOnlyList<string>? Communities { get; init; }
}
