namespace RoutedNet.Datastore.Resources;

public sealed record BGPPeerSpec
{
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

    /// <summary>What the generated ToString prints, but the password: a spec interpolated into a log line or an error must not carry the key.</summary>
    public override string ToString() =>
        $"BGPPeerSpec {{ PeerIP = {PeerIP}, Port = {Port}, AsNumber = {AsNumber}, Node = {Node}, NodeSelector = {NodeSelector}, " +
        $"Password = {(Password is null ? "" : "(redacted)")}, PasswordSecretRef = {PasswordSecretRef}, KeepaliveTime = {KeepaliveTime}, HoldTime = {HoldTime}, " +
        $"RouteReflectorClient = {RouteReflectorClient}, MaxPrefixes = {MaxPrefixes}, Bfd = {Bfd} }}";
}
