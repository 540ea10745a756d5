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

    /// <summary>
    /// Calico's allow-list of Service cluster IPs: every eligible node announces each range (and
    /// blackholes it locally); an <c>externalTrafficPolicy: Local</c> Service's cluster IP inside it
    /// is announced as a /32 (/128) by the nodes with a ready local endpoint.
    /// </summary>
    public IReadOnlyList<ServiceCidr>? ServiceClusterIPs { get; init; }

    /// <summary>The same for Services' <c>spec.externalIPs</c>; an IP outside every range is never announced.</summary>
    public IReadOnlyList<ServiceCidr>? ServiceExternalIPs { get; init; }

    /// <summary>The same for LoadBalancer Services' <c>status.loadBalancer.ingress[].ip</c>.</summary>
    public IReadOnlyList<ServiceCidr>? ServiceLoadBalancerIPs { get; init; }

    public const string AggregationEnabled = "Enabled";
    public const string AggregationDisabled = "Disabled";

    /// <summary>
    /// Calico's <c>serviceLoadBalancerAggregation</c>: <c>Enabled</c> (null) announces only the
    /// range for a Cluster-policy LoadBalancer IP; <c>Disabled</c> also a /32 from every eligible node
    /// while the Service has an endpoint.
    /// </summary>
    public string? ServiceLoadBalancerAggregation { get; init; }

    /// <summary>Named communities (Calico's shape), for <see cref="PrefixAdvertisements"/> to refer to.</summary>
    public IReadOnlyList<BGPCommunityKV>? Communities { get; init; }

    /// <summary>Communities added to the routes sent whose prefix lies inside each entry's CIDR.</summary>
    public IReadOnlyList<BGPPrefixAdvertisement>? PrefixAdvertisements { get; init; }
}
