namespace RoutedNet.BgpSpeaker;

/// <summary>Event ids of the speaker's log messages, one registry so that ids never collide.</summary>
internal static class BgpEventIds
{
    public const int StateChange = 4000;
    public const int PeerUp = 4001;
    public const int PeerDown = 4002;
    public const int SessionFailed = 4003;
    public const int ConnectFailed = 4004;
    public const int NotificationReceived = 4005;
    public const int Collision = 4006;
    public const int InternalError = 4007;
    public const int MaxPrefixExceeded = 4010;
    public const int MalformedUpdate = 4011;
    public const int StaleSwept = 4012;
    public const int RestartTimerExpired = 4013;
    public const int SelectionDeferralDone = 4014;
    public const int ListenFailed = 4015;
    public const int UnknownPeerConnection = 4016;
    public const int RouteRefreshIgnored = 4017;
    public const int ListenerKeyRefused = 4030;
    public const int TtlSecurityRefused = 4031;
}
