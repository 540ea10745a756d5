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
    int Port = 179);
