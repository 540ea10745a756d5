namespace RoutedNet.Netlink;

/// <summary>
/// Which links <see cref="NetlinkHandle.ListLinks(LinkFilter?)"/> returns; a null field matches all.
/// With strict checking the kernel applies both fields itself (IFLA_LINKINFO kind, IFLA_MASTER), so
/// a dump of the veths on a node with many other links sends only the veths.
/// </summary>
public sealed record LinkFilter
{
    /// <summary>The link kind as `ip link add ... type KIND` names it ("veth", "bridge").</summary>
    public string? Kind { get; init; }

    /// <summary>Links enslaved to this one (a bridge's ports); `ip link show master IF`.</summary>
    public int? MasterIndex { get; init; }
}
