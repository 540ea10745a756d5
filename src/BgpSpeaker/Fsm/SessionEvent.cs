using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.BgpSpeaker.Transport;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>Inputs of the session state machine (RFC 4271 §8.1), queued and handled one at a time.</summary>
internal abstract record SessionEvent
{
    public sealed record Start : SessionEvent;

    /// <summary>
    /// Stop with a Cease NOTIFICATION (subcode) if connected; the peer is restarted later only when
    /// <paramref name="Restart"/>. Without <paramref name="Notify"/> the connection is closed with no
    /// NOTIFICATION at all: our own restart, after which a peer with graceful restart keeps our routes.
    /// </summary>
    public sealed record Stop(CeaseSubcode CeaseSubcode, bool Restart, bool Notify = true) : SessionEvent;

    public sealed record TimerFired(SessionTimer Timer, int Generation) : SessionEvent;

    /// <summary>A connection is up; <paramref name="Lease"/> is our connect pacing slot, freed once the peer speaks.</summary>
    public sealed record ConnectionUp(TransportConnection Connection, IDisposable? Lease = null) : SessionEvent;

    public sealed record ConnectFailed(string Reason) : SessionEvent;

    public sealed record MessageReceived(BgpConnection Connection, BgpMessageType Type, byte[] Body) : SessionEvent;

    public sealed record ConnectionClosed(BgpConnection Connection, BgpNotification? HeaderError, string Reason) : SessionEvent;

    /// <summary>
    /// The speaker asks to end an Established session with this NOTIFICATION (max-prefix, malformed UPDATE).
    /// With <paramref name="StayDown"/> the session stays Idle until a Start (an operator reset), or
    /// until <paramref name="RestartAfter"/> when given, instead of the usual automatic restart.
    /// </summary>
    public sealed record Fail(BgpNotification Notification, bool StayDown = false, TimeSpan? RestartAfter = null) : SessionEvent;
}
