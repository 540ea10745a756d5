using System.Net.Sockets;

namespace RoutedNet.Netlink;

/// <summary>Which addresses <see cref="NetlinkHandle.ListAddresses"/> returns; a null field matches all.</summary>
public sealed record AddressFilter
{
    public int? LinkIndex { get; init; }

    /// <summary>InterNetwork or InterNetworkV6.</summary>
    public AddressFamily? Family { get; init; }
}
