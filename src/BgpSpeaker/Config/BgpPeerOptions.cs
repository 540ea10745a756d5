using System.Net;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Config;

/// <summary>One neighbour. Peers are keyed by <see cref="Address"/>; updating one never touches the others.</summary>
public sealed record BgpPeerOptions
{
    public required IPAddress Address { get; init; }

    /// <summary>The neighbour's AS; equal to ours makes the session iBGP.</summary>
    public required uint RemoteAs { get; init; }

    /// <summary>
    /// The AS we present to this neighbour instead of the speaker's (Calico's <c>localASNumber</c>,
    /// BIRD's <c>local as</c>): in OPEN, in front of the AS_PATH we send, in the loop check, and
    /// in telling iBGP from eBGP. Null uses <see cref="BgpGlobalOptions.LocalAs"/>.
    /// </summary>
    public uint? LocalAs { get; init; }

    /// <summary>TCP port of the neighbour (179 unless it listens elsewhere).</summary>
    public int RemotePort { get; init; } = 179;

    /// <summary>Source address for our connections, and the next hop we advertise on this session.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Next hop for the other address family than the session's (e.g. IPv6 routes over an IPv4 session).</summary>
    public IPAddress? NextHopOtherFamily { get; init; }

    /// <summary>Passive peers never connect out, they only accept (Calico: the node with the higher address).</summary>
    public bool Passive { get; init; }

    /// <summary>TCP-MD5 signature password (RFC 2385); null for none.</summary>
    public string? Password { get; init; }

    /// <summary>Hold time we offer (0 = no keepalives; otherwise ≥ 3 s, RFC 4271 §4.2).</summary>
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Keepalive interval; null means a third of the negotiated hold time.</summary>
    public TimeSpan? KeepaliveTime { get; init; }

    /// <summary>ConnectRetry timer (RFC 4271 §10 suggests 120 s; Calico runs 5 s).</summary>
    public TimeSpan ConnectRetryTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait after an error before the session is started again (doubled up to 30× this, then held).</summary>
    public TimeSpan IdleHoldTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>eBGP multihop: TTL of our packets (1 = directly connected, the eBGP default).</summary>
    public int? MultihopTtl { get; init; }

    /// <summary>GTSM (RFC 5082): accept only packets from at most this many hops away; we send TTL 255.</summary>
    public int? TtlSecurityHops { get; init; }

    /// <summary>We reflect iBGP routes to and from this peer (RFC 4456 client).</summary>
    public bool RouteReflectorClient { get; init; }

    /// <summary>
    /// ADD-PATH (RFC 7911) offered to this peer for every family of the session. Send: where the
    /// peer can receive, it gets every path of a prefix we hold (each admitted by the export rules,
    /// under its own Path Identifier) instead of only the best, so a router behind a route
    /// reflector still sees every node announcing a prefix (ECMP). Receive: where the peer can
    /// send, each of its paths of a prefix (by Path Identifier) is a candidate of its own, so
    /// best path and multipath see them all, and a reflector sends them on under distinct ones.
    /// </summary>
    public AddPathMode AddPaths { get; init; }

    /// <summary>Take part in graceful restart with this peer.</summary>
    public bool GracefulRestart { get; init; } = true;

    /// <summary>Address families carried over the session.</summary>
    public IReadOnlyList<RouteFamily> Families { get; init; } = [RouteFamily.Ipv4Unicast, RouteFamily.Ipv6Unicast];

    public ImportPolicy Import { get; init; } = new();

    public ExportPolicy Export { get; init; } = new();

    /// <summary>Name used in logs and status; defaults to the address.</summary>
    public string? Description { get; init; }

    /// <summary>The neighbour and whether it has a password, never the password itself: options interpolated into a log line must not carry the TCP-MD5 key.</summary>
    public override string ToString() =>
        $"BgpPeerOptions {{ Address = {Address}, RemoteAs = {RemoteAs}, RemotePort = {RemotePort}, Passive = {Passive}, Password = {(Password is null ? "" : "(redacted)")}, Description = {Description} }}";
}
