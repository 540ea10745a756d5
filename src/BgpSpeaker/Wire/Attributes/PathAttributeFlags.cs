namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>The attribute flags octet (RFC 4271 §4.3); the low four bits are unused.</summary>
[Flags]
public enum PathAttributeFlags : byte
{
    None = 0,
    ExtendedLength = 0x10,
    Partial = 0x20,
    Transitive = 0x40,
    Optional = 0x80,
}
