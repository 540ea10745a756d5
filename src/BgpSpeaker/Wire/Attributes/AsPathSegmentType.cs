namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>AS_PATH segment types (RFC 4271 §4.3; confederation types RFC 5065 §3).</summary>
public enum AsPathSegmentType : byte
{
    AsSet = 1,
    AsSequence = 2,
    AsConfedSequence = 3,
    AsConfedSet = 4,
}
