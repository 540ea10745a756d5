using System.Net;
using System.Net.NetworkInformation;

namespace RoutedNet.Netlink;

/// <summary>
/// A neighbour (ARP/NDP) entry, `ip neigh`. A proxy entry (`ip neigh add proxy IP dev IF`) has
/// <see cref="NeighbourFlags.Proxy"/> and no <see cref="LinkAddress"/>.
/// </summary>
public sealed record Neighbour
{
    public required int LinkIndex { get; init; }

    public required IPAddress Ip { get; init; }

    public PhysicalAddress? LinkAddress { get; init; }

    public NeighbourState State { get; init; } = NeighbourState.Permanent;

    public NeighbourFlags Flags { get; init; }

    public bool IsProxy => (Flags & NeighbourFlags.Proxy) != 0;
}
