namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Address Family Identifier (IANA "Address Family Numbers"; RFC 4760 §3).</summary>
public enum Afi : ushort
{
    Ipv4 = 1,
    Ipv6 = 2,
}
