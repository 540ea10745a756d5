using System.Net.Sockets;

namespace RoutedNet.Netlink;

/// <summary>
/// Which neighbours <see cref="NetlinkHandle.ListNeighbours"/> returns; a null field matches all.
/// The kernel keeps proxy entries in a separate table: <see cref="Proxy"/> chooses which one is dumped
/// (`ip neigh show proxy`).
/// </summary>
public sealed record NeighbourFilter
{
    public int? LinkIndex { get; init; }

    public AddressFamily? Family { get; init; }

    public bool Proxy { get; init; }
}
