using System.Net;
using RoutedNet.BgpSpeaker.Fsm;

namespace RoutedNet.BgpSpeaker;

/// <summary>
/// A snapshot of one peer for the CLI and metrics. <see cref="PrefixesIn"/> are the prefixes import
/// accepted (Adj-RIB-In, stale ones included); <see cref="PrefixesFiltered"/> those the peer
/// announces that import refused, so <see cref="PrefixesReceived"/> is everything the peer currently
/// announces. <see cref="Flaps"/> counts the times the session left Established, whoever looked;
/// <see cref="ImportRejected"/> the announcements import refused since the peer was added.
/// </summary>
public sealed record PeerStatus(
    IPAddress Address,
    string Name,
    uint RemoteAs,
    SessionState State,
    DateTimeOffset Since,
    string? LastError,
    IPAddress? RemoteRouterId,
    TimeSpan? HoldTime,
    long MessagesIn,
    long MessagesOut,
    long UpdatesIn,
    long UpdatesOut,
    int PrefixesIn,
    int PrefixesFiltered,
    int PrefixesOut,
    int StalePrefixes,
    long Flaps,
    long ImportRejected = 0)
{
    public int PrefixesReceived => PrefixesIn + PrefixesFiltered;
}
