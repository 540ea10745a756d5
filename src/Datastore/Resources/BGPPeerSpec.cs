namespace RoutedNet.Datastore.Resources;

public sealed record BGPPeerSpec
{
    /// <summary><see cref="SourceAddress"/>: the node's address (the default).</summary>
    public const string UseNodeIP = "UseNodeIP";

    /// <summary><see cref="SourceAddress"/>: the kernel picks the source.</summary>
    public const string NoSourceAddress = "None";

    public string PeerIP { get; init => field = value ?? ""; } = "";

    /// <summary>TCP port of the peer; null means 179.</summary>
    public int? Port { get; init; }

    public uint AsNumber { get; init; }

    /// <summary>Only this node peers (exclusive with <see cref="NodeSelector"/>); null means all selected nodes.</summary>
    public string? Node { get; init; }

    /// <summary>Label selector of the nodes that peer; null with no <see cref="Node"/> means every node.</summary>
    public string? NodeSelector { get; init; }

    /// <summary>TCP MD5 (RFC 2385) secret (exclusive with <see cref="PasswordSecretRef"/>).</summary>
    public string? Password { get; init; }

    /// <summary>The TCP MD5 secret as a key of a Secret in the agent's namespace, read by the agent (kubernetes datastore only).</summary>
    public SecretKeyReference? PasswordSecretRef { get; init; }

    /// <summary>Seconds; null means the speaker's default.</summary>
    public int? KeepaliveTime { get; init; }

    /// <summary>Seconds (0 or at least 3, RFC 4271 §4.2); null means the speaker's default.</summary>
    public int? HoldTime { get; init; }

    public bool RouteReflectorClient { get; init; }

    /// <summary>Session is reset when the peer sends more prefixes than this; null means no limit.</summary>
    public int? MaxPrefixes { get; init; }

    /// <summary>A BFD session with the peer (single hop); null means none.</summary>
    public BGPPeerBfd? Bfd { get; init; }

    /// <summary>BGPFilter names, in order: for a route, the first rule that matches across them decides; then the built-in policy.</summary>
    public IReadOnlyList<string>? Filters { get; init; }

    /// <summary>The AS this node presents to the peer instead of its own (Calico's <c>localASNumber</c>).</summary>
    public uint? LocalASNumber { get; init; }

    /// <summary>Auto (RFC 4271 defaults), Self (always this node) or Keep (a learned route's own next hop, even towards eBGP).</summary>
    public string? NextHopMode { get; init; }

    /// <summary>Times this node's AS may appear in a path from the peer (BIRD's <c>allow local as</c>); absent means 0.</summary>
    public int? NumAllowedLocalASNumbers { get; init; }

    /// <summary>GTSM (RFC 5082): the peer is at most this many hops away; packets go out with TTL 255 and arrive with at least 256 minus this.</summary>
    public int? TtlSecurity { get; init; }

    /// <summary>
    /// UseNodeIP (default: the node's address is the session's source and next hop), None (the
    /// kernel picks the source), or an address of the node (a loopback, a second uplink's) to bind
    /// the session to and advertise as next hop; a node without that address does not connect and says so.
    /// </summary>
    public string? SourceAddress { get; init; }

    /// <summary>LOCAL_PREF of the routes sent to this peer when it is iBGP (MetalLB's <c>localPref</c>).</summary>
    public uint? LocalPref { get; init; }

    /// <summary>Extra copies of this node's AS in front of the AS_PATH of the routes sent to this peer when it is eBGP.</summary>
    public int? AsPathPrepend { get; init; }

    /// <summary>What the generated ToString prints, but the password: a spec interpolated into a log line or an error must not carry the key.</summary>
    public override string ToString() =>
        $"BGPPeerSpec {{ PeerIP = {PeerIP}, Port = {Port}, AsNumber = {AsNumber}, Node = {Node}, NodeSelector = {NodeSelector}, " +
        $"Password = {(Password is null ? "" : "(redacted)")}, PasswordSecretRef = {PasswordSecretRef}, KeepaliveTime = {KeepaliveTime}, HoldTime = {HoldTime}, " +
        $"RouteReflectorClient = {RouteReflectorClient}, MaxPrefixes = {MaxPrefixes}, Bfd = {Bfd}, " +
        $"Filters = [{string.Join(", ", Filters ?? [])}], LocalASNumber = {LocalASNumber}, NextHopMode = {NextHopMode}, NumAllowedLocalASNumbers = {NumAllowedLocalASNumbers}, " +
        $"TtlSecurity = {TtlSecurity}, SourceAddress = {SourceAddress}, LocalPref = {LocalPref}, AsPathPrepend = {AsPathPrepend} }}";
}
