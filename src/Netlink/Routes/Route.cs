using System.Net;

namespace RoutedNet.Netlink;

/// <summary>
/// A route (`ip route`). Examples, in `ip` words and as records:
/// <list type="bullet">
/// <item>`10.244.1.5 dev rn0123 scope link proto 80`:
///   <c>new Route { Destination = IPNetwork.Parse("10.244.1.5/32"), LinkIndex = veth, Protocol = RouteProtocol.RoutedNet }</c>
///   (a unicast route without gateway gets scope link, as `ip` does).</item>
/// <item>`default via 169.254.1.1 dev eth0`: <c>Destination = IPNetwork.Parse("0.0.0.0/0"), Gateway = ..., LinkIndex = eth0</c>.</item>
/// <item>`blackhole 10.244.1.0/24`: <c>Type = RouteType.Blackhole</c>, no link.</item>
/// <item>ECMP: <see cref="Nexthops"/> with two or more entries, no top-level gateway or link.</item>
/// </list>
/// Equality is by value, <see cref="Nexthops"/> element by element, so desired and listed routes compare directly
/// (a listed route always has its <see cref="Scope"/> set; a desired one may leave it null).
/// </summary>
public sealed record Route
{
    /// <summary>The prefix; its host bits must be zero (the kernel rejects 10.0.0.1/24).</summary>
    public required IPNetwork Destination { get; init; }

    public IPAddress? Gateway { get; init; }

    /// <summary>The output interface (RTA_OIF); 0 for none (blackhole, multipath).</summary>
    public int LinkIndex { get; init; }

    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>Null lets the library choose as `ip` does: link for a unicast route without gateway, host for local, otherwise universe.</summary>
    public RouteScope? Scope { get; init; }

    public RouteProtocol Protocol { get; init; } = RouteProtocol.Boot;

    public uint Table { get; init; } = RouteTable.Main;

    /// <summary>RTA_PRIORITY (`metric`); null lets the kernel choose (0 for IPv4, 1024 for IPv6).</summary>
    public uint? Metric { get; init; }

    /// <summary>RTA_PREFSRC (`src`).</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>RTNH_F_ONLINK: the gateway is on the link even without a covering address or route.</summary>
    public bool OnLink { get; init; }

    /// <summary>Multipath nexthops (RTA_MULTIPATH); empty for a single-path route.</summary>
    public IReadOnlyList<Nexthop> Nexthops { get; init; } = [];

    /// <summary>The scope the kernel will be given when <see cref="Scope"/> is null.</summary>
    public RouteScope EffectiveScope => Scope ?? Type switch
    {
        RouteType.Local => RouteScope.Host,
        RouteType.Unicast when Gateway is null && Nexthops.Count == 0 => RouteScope.Link,
        _ => RouteScope.Universe,
    };

    public bool Equals(Route? other) =>
        other is not null
        && Destination.Equals(other.Destination)
        && Equals(Gateway, other.Gateway)
        && LinkIndex == other.LinkIndex
        && Type == other.Type
        && Scope == other.Scope
        && Protocol == other.Protocol
        && Table == other.Table
        && Metric == other.Metric
        && Equals(PreferredSource, other.PreferredSource)
        && OnLink == other.OnLink
        && Nexthops.SequenceEqual(other.Nexthops);

    public override int GetHashCode() => HashCode.Combine(Destination, Gateway, LinkIndex, Type, Protocol, Table, Metric, Nexthops.Count);
}
