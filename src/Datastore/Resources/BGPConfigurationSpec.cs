namespace RoutedNet.Datastore.Resources;

public sealed record BGPConfigurationSpec
{
    /// <summary>The cluster-wide object's name; per-node overrides are named <c>node.NODENAME</c>.</summary>
    public const string DefaultName = "default";

    /// <summary>Default AS of nodes that set none.</summary>
    public uint? AsNumber { get; init; }

    /// <summary>Full iBGP mesh between all nodes; null means true.</summary>
    public bool? NodeToNodeMesh { get; init; }

    /// <summary>TCP port the speaker listens on; null means 179.</summary>
    public int? ListenPort { get; init; }

    /// <summary>Service cluster IP CIDRs every node advertises.</summary>
    public IReadOnlyList<string>? ServiceClusterIPs { get; init; }

    /// <summary>Service external IP CIDRs every node advertises.</summary>
    public IReadOnlyList<string>? ServiceExternalIPs { get; init; }

    /// <summary>Named communities (Calico's shape), for <see cref="PrefixAdvertisements"/> to refer to.</summary>
    public IReadOnlyList<BGPCommunityKV>? Communities { get; init; }

    /// <summary>Communities added to the routes sent whose prefix lies inside each entry's CIDR.</summary>
    public IReadOnlyList<BGPPrefixAdvertisement>? PrefixAdvertisements { get; init; }
}
