namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>One entry of the ADD-PATH capability (RFC 7911 §4): AFI (2 octets), SAFI (1), Send/Receive (1).</summary>
public readonly record struct AddPathFamily(AfiSafi Family, AddPathMode Mode);
