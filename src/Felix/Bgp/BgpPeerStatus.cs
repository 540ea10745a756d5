using System.Net;
using RoutedNet.BgpSpeaker.Bfd;

namespace RoutedNet.Felix.Bgp;

/// <summary>A peer's session and counters, for the API and /metrics; <see cref="Bfd"/> when BGPPeer spec.bfd runs a session beside it; <see cref="Drain"/> while the node drains.</summary>
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
    BfdSessionStatus? Bfd = null,
    long ImportRejected = 0,
    DrainPhase Drain = DrainPhase.InService);
