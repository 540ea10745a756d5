namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>AS_PATH segment types (RFC 4271 §4.3, RFC 5065 for the confederation kinds), IANA numbers.</summary>
public enum AsPathSegmentKind : byte
{
    AsSet = 1,
    AsSequence = 2,
    AsConfedSequence = 3,
    AsConfedSet = 4,
}
