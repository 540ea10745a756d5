namespace RoutedNet.BgpSpeaker.Config;

/// <summary>The AFI/SAFI pairs this speaker carries (RFC 4760).</summary>
public enum RouteFamily
{
    Ipv4Unicast,
    Ipv6Unicast,
}
