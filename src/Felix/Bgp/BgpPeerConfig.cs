using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>One session the agent wants, computed from Node, BGPPeer and BGPConfiguration resources.</summary>
public sealed record BgpPeerConfig(
    IPAddress Address,
    uint AsNumber,
    PeerType Type,
    string Source,
    string? Password = null,
    TimeSpan? KeepaliveTime = null,
    TimeSpan? HoldTime = null,
    bool RouteReflectorClient = false,
    int? MaxPrefixes = null,
    bool Passive = false,
    int Port = 179,
    BgpPeerBfd? Bfd = null,
    BgpPeerPolicy? Policy = null,
    bool TowardsNode = false)
{
    /// <summary>
    /// The peer is another Node of the cluster (a mesh peer, or a BGPPeer whose peerIP is a Node's
    /// address: a route reflector or its client), not a router.
    /// </summary>
    public bool IsNode => TowardsNode || Type == PeerType.Mesh;

    /// <summary>The routing-policy settings, <see cref="BgpPeerPolicy.Default"/> when none are set (mesh peers).</summary>
    public BgpPeerPolicy EffectivePolicy => Policy ?? BgpPeerPolicy.Default;

    /// <summary>What the generated ToString prints, but the password: a peer interpolated into a log line must not carry the key.</summary>
    public override string ToString() =>
        $"BgpPeerConfig {{ Address = {Address}, AsNumber = {AsNumber}, Type = {Type}, Source = {Source}, " +
        $"Password = {(Password is null ? "" : "(redacted)")}, KeepaliveTime = {KeepaliveTime}, HoldTime = {HoldTime}, " +
        $"RouteReflectorClient = {RouteReflectorClient}, MaxPrefixes = {MaxPrefixes}, Passive = {Passive}, Port = {Port}, Bfd = {Bfd}, Policy = {Policy}, TowardsNode = {TowardsNode} }}";
}
