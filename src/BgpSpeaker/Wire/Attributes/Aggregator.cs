namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>AGGREGATOR (RFC 4271 §5.1.7): the AS and BGP identifier of the speaker that aggregated.</summary>
public readonly record struct Aggregator(uint Asn, uint Address);
