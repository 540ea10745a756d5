using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Codec;

/// <summary>Conversions between the configuration's <see cref="RouteFamily"/> and the wire's AFI/SAFI.</summary>
internal static class Families
{
    public static readonly RouteFamily[] All = [RouteFamily.Ipv4Unicast, RouteFamily.Ipv6Unicast];

    public static AfiSafi ToAfiSafi(this RouteFamily family) =>
        family == RouteFamily.Ipv4Unicast ? AfiSafi.Ipv4Unicast : AfiSafi.Ipv6Unicast;

    public static RouteFamily? ToRouteFamily(this AfiSafi family) =>
        family == AfiSafi.Ipv4Unicast ? RouteFamily.Ipv4Unicast
        : family == AfiSafi.Ipv6Unicast ? RouteFamily.Ipv6Unicast
        : null;

    public static RouteFamily FamilyOf(RibPrefix prefix) => prefix.IsIPv6 ? RouteFamily.Ipv6Unicast : RouteFamily.Ipv4Unicast;

    public static AddressFamily AddressFamilyOf(RibPrefix prefix) => prefix.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
}
