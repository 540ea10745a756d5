namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>NOTIFICATION error codes (IANA "BGP Error (Notification) Codes"; RFC 4271 §4.5, RFC 7313 §5).</summary>
public enum NotificationCode : byte
{
    /// <summary>Not an error: used by <see cref="BgpError.None"/>.</summary>
    None = 0,
    MessageHeaderError = 1,
    OpenMessageError = 2,
    UpdateMessageError = 3,
    HoldTimerExpired = 4,
    FiniteStateMachineError = 5,
    Cease = 6,
    RouteRefreshMessageError = 7,
}
