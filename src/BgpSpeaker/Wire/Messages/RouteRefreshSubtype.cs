namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>The octet between AFI and SAFI in ROUTE-REFRESH: reserved in RFC 2918, a subtype in RFC 7313 §3.2.</summary>
public enum RouteRefreshSubtype : byte
{
    Normal = 0,
    BeginningOfRouteRefresh = 1,
    EndOfRouteRefresh = 2,
}
