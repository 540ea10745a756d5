using System.Net.NetworkInformation;

namespace RoutedNet.Netlink;

/// <summary>
/// What <see cref="NetlinkHandle.AddVeth"/> creates: `ip link add NAME [address MAC] [mtu N] type veth
/// peer name PEER [address MAC] [netns PEERNS]`. With <see cref="PeerNamespacePath"/> the peer is
/// born inside that namespace (IFLA_NET_NS_FD), so its name never clashes with one on the host.
/// </summary>
public sealed record VethPair
{
    /// <summary>The end that stays in the handle's namespace (≤ 15 bytes).</summary>
    public required string Name { get; init; }

    /// <summary>The other end (≤ 15 bytes).</summary>
    public required string PeerName { get; init; }

    /// <summary>A netns file (/run/netns/x, /proc/PID/ns/net) for the peer; null keeps it here.</summary>
    public string? PeerNamespacePath { get; init; }

    /// <summary>MTU for both ends; 0 leaves the kernel default (1500).</summary>
    public int Mtu { get; init; }

    public PhysicalAddress? Address { get; init; }

    public PhysicalAddress? PeerAddress { get; init; }
}
