using System.Net;
using RoutedNet.BgpSpeaker.Fsm;

namespace RoutedNet.BgpSpeaker;

/// <summary>A snapshot of one peer for the CLI and metrics.</summary>
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
    int PrefixesOut,
    int StalePrefixes);
