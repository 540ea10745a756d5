using System.Net.NetworkInformation;

namespace RoutedNet.Netlink;

/// <summary>
/// A network interface as the kernel reports it (`ip link show`). For a veth, <see cref="ParentIndex"/>
/// is the peer's index, in the namespace named by <see cref="PeerNamespaceId"/> when that is set.
/// </summary>
public sealed record Link
{
    public required int Index { get; init; }

    public required string Name { get; init; }

    /// <summary>The hardware (MAC) address, null for links without one.</summary>
    public PhysicalAddress? Address { get; init; }

    public int Mtu { get; init; }

    public LinkFlags Flags { get; init; }

    /// <summary>The IFLA_INFO_KIND of virtual links ("veth", "bridge", ...); null for physical ones.</summary>
    public string? Kind { get; init; }

    /// <summary>IFLA_LINK: the peer of a veth, the lower device of a vlan; 0 when none.</summary>
    public int ParentIndex { get; init; }

    /// <summary>IFLA_LINK_NETNSID: the namespace id (as seen from here) where <see cref="ParentIndex"/> lives.</summary>
    public int? PeerNamespaceId { get; init; }

    /// <summary>IFLA_MASTER: the bridge or bond this link is enslaved to; 0 when none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>IFLA_GROUP: the link's group (`ip link set dev IF group N`); 0, the default group, for most.</summary>
    public uint Group { get; init; }

    public OperationalState OperationalState { get; init; }

    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}
