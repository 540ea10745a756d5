namespace RoutedNet.Datastore.Resources;

/// <summary>networking.k8s.io/v1 IPBlock: addresses in <see cref="Cidr"/> but in none of <see cref="Except"/>.</summary>
public sealed record KubernetesIPBlock
{
    public string Cidr { get; init => field = value ?? ""; } = "";

    public IReadOnlyList<string>? Except { get; init; }
}
