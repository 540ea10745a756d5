namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>ORIGIN values (RFC 4271 §4.3, §5.1.1); lower is preferred in the decision process.</summary>
public enum Origin : byte
{
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}
