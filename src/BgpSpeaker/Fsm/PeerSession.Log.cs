using Microsoft.Extensions.Logging;

namespace RoutedNet.BgpSpeaker.Fsm;

internal sealed partial class PeerSession
{
    [LoggerMessage(EventId = BgpEventIds.StateChange, Level = LogLevel.Debug, Message = "peer {Peer}: {From} -> {To}")]
    private partial void LogStateChange(string peer, SessionState from, SessionState to);

    [LoggerMessage(EventId = BgpEventIds.PeerUp, Level = LogLevel.Information, Message = "peer {Peer} up: session Established with {Remote}, hold time {HoldSeconds} s, families {Families}")]
    private partial void LogPeerUp(string peer, string remote, double holdSeconds, string families);

    [LoggerMessage(EventId = BgpEventIds.PeerDown, Level = LogLevel.Warning, Message = "peer {Peer} down: {Reason}{KeptNote}")]
    private partial void LogPeerDown(string peer, string reason, string keptNote);

    private void LogPeerDown(string peer, string reason, bool kept) =>
        LogPeerDown(peer, reason, kept ? "; keeping its routes as stale while it restarts (graceful restart)" : "; its routes are withdrawn");

    [LoggerMessage(EventId = BgpEventIds.SessionFailed, Level = LogLevel.Warning, Message = "peer {Peer}: session setup failed in {State}: {Reason}")]
    private partial void LogSessionFailed(string peer, SessionState state, string reason);

    [LoggerMessage(EventId = BgpEventIds.ConnectFailed, Level = LogLevel.Debug, Message = "peer {Peer}: cannot connect: {Reason}")]
    private partial void LogConnectFailed(string peer, string reason);

    [LoggerMessage(EventId = BgpEventIds.NotificationReceived, Level = LogLevel.Warning, Message = "peer {Peer} sent NOTIFICATION: {Reason}")]
    private partial void LogNotificationReceived(string peer, string reason);

    [LoggerMessage(EventId = BgpEventIds.Collision, Level = LogLevel.Information, Message = "peer {Peer}: two connections at once; keeping {Kept} (RFC 4271 §6.8)")]
    private partial void LogCollision(string peer, string kept);

    [LoggerMessage(EventId = BgpEventIds.RouteRefreshIgnored, Level = LogLevel.Information, Message = "peer {Peer} asked for a route refresh of a family or subtype this session did not negotiate (body {Body}): ignored (RFC 2918 §4)")]
    private partial void LogRouteRefreshIgnored(string peer, string body);

    [LoggerMessage(EventId = BgpEventIds.InternalError, Level = LogLevel.Error, Message = "peer {Peer}: internal error, resetting the session")]
    private partial void LogInternalError(string peer, Exception exception);
}
