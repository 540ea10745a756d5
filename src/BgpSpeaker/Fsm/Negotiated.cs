using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Fsm;

/// <summary>What both OPENs agreed on for one session (RFC 4271 §4.2, RFC 5492).</summary>
internal sealed record Negotiated(
    uint RemoteAs,
    uint RemoteRouterId,
    TimeSpan HoldTime,
    TimeSpan KeepaliveTime,
    IReadOnlyList<RouteFamily> Families,
    bool FourOctetAs,
    bool RouteRefresh,
    bool ExtendedMessage,
    GracefulRestartCapability? PeerGracefulRestart,
    IPEndPoint Local,
    IPEndPoint Remote)
{
    /// <summary>ADD-PATH for IPv4 unicast (RFC 7911 §5): Send when we send path identifiers, Receive when the peer does.</summary>
    public AddPathMode AddPathIpv4 { get; init; }

    public AddPathMode AddPathIpv6 { get; init; }
}
