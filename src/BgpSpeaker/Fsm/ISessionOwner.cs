using RoutedNet.BgpSpeaker.Config;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>What a session tells the speaker loop. Calls come from the session's own task, in order.</summary>
internal interface ISessionOwner
{
    void Established(PeerSession session, Negotiated negotiated);

    void UpdateReceived(PeerSession session, byte[] body);

    void RouteRefreshRequested(PeerSession session, RouteFamily family);

    /// <summary>The Established session ended; <paramref name="keepRoutesStale"/> when graceful restart applies (RFC 4724 §4.2).</summary>
    void Down(PeerSession session, bool keepRoutesStale, string reason);
}
