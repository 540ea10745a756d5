namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subcodes of <see cref="NotificationCode.RouteRefreshMessageError"/> (RFC 7313 §5).</summary>
public enum RouteRefreshMessageErrorSubcode : byte
{
    Reserved = 0,

    /// <summary>Data: the complete ROUTE-REFRESH message, header included.</summary>
    InvalidMessageLength = 1,
}
