using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>A peer's session and counters, for the API and /metrics.</summary>
public sealed record BgpPeerStatus(
    BgpPeerConfig Config,
    PeerState State,
    DateTimeOffset Since,
    string? LastError,
    long PrefixesReceived,
    long PrefixesAccepted,
    long PrefixesAdvertised,
    long Flaps,
    long UpdatesReceived,
    long UpdatesSent,
    long ImportRejected = 0);
