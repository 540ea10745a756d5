namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// The Send/Receive field of the ADD-PATH capability (RFC 7911 §4): 1 the speaker can receive
/// several paths of a prefix, 2 it can send them, 3 both. In a session's codec context the same
/// bits say which way path identifiers travel for a family once both OPENs agreed (RFC 7911 §5).
/// </summary>
[Flags]
public enum AddPathMode : byte
{
    None = 0,
    Receive = 1,
    Send = 2,
    Both = Receive | Send,
}
