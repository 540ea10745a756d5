namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subsequent Address Family Identifier (IANA "SAFI Values"; RFC 4760 §6).</summary>
public enum Safi : byte
{
    Unicast = 1,
    Multicast = 2,
}
