using Microsoft.Extensions.Logging;

namespace RoutedNet.BgpSpeaker;

public sealed partial class BgpSpeaker
{
    [LoggerMessage(EventId = BgpEventIds.MaxPrefixExceeded, Level = LogLevel.Warning, Message = "peer {Peer} sent {Count} prefixes, more than its limit of {Max}: closing the session (Cease/Maximum Number of Prefixes Reached), which stays down until the peer is reset or its max-prefix restart interval passes; raise maxPrefixes or fix the peer")]
    private partial void LogMaxPrefix(string peer, int count, int max);

    [LoggerMessage(EventId = BgpEventIds.ListenerKeyRefused, Level = LogLevel.Warning, Message = "peer {Peer}: the kernel refused its TCP-MD5 key on the listening sockets ({Error}); its incoming connections fail until it takes it, trying again in {Seconds} s")]
    private partial void LogListenerKeyRefused(string peer, string error, double seconds);

    [LoggerMessage(EventId = BgpEventIds.MalformedUpdate, Level = LogLevel.Warning, Message = "peer {Peer} sent a malformed UPDATE ({Problem}); {Outcome}")]
    private partial void LogMalformedUpdate(string peer, string problem, string outcome);

    [LoggerMessage(EventId = BgpEventIds.StaleSwept, Level = LogLevel.Information, Message = "peer {Peer}: removed {Count} stale routes it did not send again after restarting")]
    private partial void LogStaleSwept(string peer, int count);

    [LoggerMessage(EventId = BgpEventIds.RestartTimerExpired, Level = LogLevel.Warning, Message = "peer {Peer} did not come back within its graceful restart time of {Seconds} s: removing its routes")]
    private partial void LogRestartTimerExpired(string peer, double seconds);

    [LoggerMessage(EventId = BgpEventIds.SelectionDeferralDone, Level = LogLevel.Information, Message = "graceful restart: route selection resumed because {Why}")]
    private partial void LogSelectionDeferralDone(string why);

    [LoggerMessage(EventId = BgpEventIds.ListenFailed, Level = LogLevel.Warning, Message = "accepting a BGP connection failed: {Reason}")]
    private partial void LogListenFailed(string reason);

    [LoggerMessage(EventId = BgpEventIds.UnknownPeerConnection, Level = LogLevel.Information, Message = "refused a BGP connection from {Remote}: not a configured peer")]
    private partial void LogUnknownPeer(string remote);

    [LoggerMessage(EventId = BgpEventIds.TtlSecurityRefused, Level = LogLevel.Warning, Message = "refused a BGP connection from {Remote}: it arrived with TTL {Ttl}, and the peer's ttlSecurity (GTSM) takes only {MinTtl} or more (the peer is further away than its hop count, or does not send 255)")]
    private partial void LogTtlSecurityRefused(string remote, int ttl, int minTtl);

    [LoggerMessage(EventId = BgpEventIds.InternalError, Level = LogLevel.Error, Message = "speaker loop: internal error while handling an event")]
    private partial void LogLoopError(Exception exception);
}
