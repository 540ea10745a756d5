namespace RoutedNet.Datastore.Resources;

public sealed record WorkloadEndpointSpec
{
    /// <summary>
    /// Every host-side veth the CNI plugin makes starts with this (DESIGN.md: one fixed prefix),
    /// and the agent sets proxy_arp and routes only on such interfaces.
    /// </summary>
    public const string HostInterfacePrefix = "rn";

    /// <summary>IFNAMSIZ (16) less the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    public string Pod { get; init => field = value ?? ""; } = "";

    public string Namespace { get; init => field = value ?? ""; } = "";

    public string ContainerID { get; init => field = value ?? ""; } = "";

    /// <summary>The interface inside the pod (CNI_IFNAME, usually <c>eth0</c>).</summary>
    public string Interface { get; init => field = value ?? ""; } = "";

    /// <summary>The host-side veth that the node agent routes the pod's addresses to; starts with <see cref="HostInterfacePrefix"/>.</summary>
    public string? HostInterface { get; init; }

    /// <summary>The pod's addresses as /32 or /128, e.g. <c>10.244.3.4/32</c>.</summary>
    public IReadOnlyList<string> IPNetworks { get; init => field = value ?? []; } = [];

    public string Node { get; init => field = value ?? ""; } = "";

    /// <summary>The CNI network name the attachment belongs to.</summary>
    public string? Network { get; init; }

    /// <summary>
    /// The labels of the pod's namespace (with the kubernetes datastore, from the Namespace; the
    /// pod's own labels are this endpoint's metadata.labels). Policy selects on both.
    /// </summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; init; }

    /// <summary>The pod's service account (spec.serviceAccountName); policy's serviceAccountSelector matches on it.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>The pod's named container ports; what a policy's named port ("serve-80-tcp") resolves to on this endpoint.</summary>
    public IReadOnlyList<EndpointPort>? Ports { get; init; }

    /// <summary>
    /// Whether <paramref name="name"/> can be a pod's host veth: the prefix, at most 15 bytes, none
    /// of the characters the kernel refuses in a name. The agent turns on proxy_arp and
    /// route_localnet there, so "eth0", "all" or "lo" must never pass.
    /// </summary>
    public static bool IsWorkloadInterface(string? name) =>
        name is not null
        && name.Length > HostInterfacePrefix.Length
        && name.StartsWith(HostInterfacePrefix, StringComparison.Ordinal)
        && System.Text.Encoding.UTF8.GetByteCount(name) <= MaxInterfaceNameBytes
        && !name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c));
}
