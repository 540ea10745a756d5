namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>RFC 4271 §8.2.2 session states.</summary>
public enum SessionState
{
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
}
