namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>ORIGIN values (RFC 4271 §4.3); lower is preferred in the decision process.</summary>
public enum RouteOrigin : byte
{
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}
