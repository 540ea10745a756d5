namespace RoutedNet.Datastore.Resources;

public sealed record WorkloadEndpointSpec
{
    /// <summary>
    /// Every host-side veth the CNI plugin makes starts with this (DESIGN.md: one fixed prefix),
    /// and the agent sets proxy_arp and routes only on such interfaces.
    /// </summary>
    public const string HostInterfacePrefix = "rn";

    public string Pod { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string ContainerID { get; init; } = "";

    /// <summary>The interface inside the pod (CNI_IFNAME, usually <c>eth0</c>).</summary>
    public string Interface { get; init; } = "";

    /// <summary>The host-side veth that the node agent routes the pod's addresses to; starts with <see cref="HostInterfacePrefix"/>.</summary>
    public string? HostInterface { get; init; }

    /// <summary>The pod's addresses as /32 or /128, e.g. <c>10.244.3.4/32</c>.</summary>
    public IReadOnlyList<string> IPNetworks { get; init; } = [];

    public string Node { get; init; } = "";

    /// <summary>The CNI network name the attachment belongs to.</summary>
    public string? Network { get; init; }
}
