namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>The timers of RFC 4271 §10 (IdleHold is the "automatic start" delay with back-off, §8.1.1 option).</summary>
internal enum SessionTimer
{
    ConnectRetry,
    Hold,
    Keepalive,
    IdleHold,
}
