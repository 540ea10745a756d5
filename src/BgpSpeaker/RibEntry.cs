using System.Net;
using RoutedNet.BgpSpeaker.Rib.BestPath;

namespace RoutedNet.BgpSpeaker;

/// <summary>One Loc-RIB prefix as `routednetctl` shows it: the best path, its ECMP next hops, and why it won.</summary>
public sealed record RibEntry(
    IPNetwork Prefix,
    IReadOnlyList<IPAddress> NextHops,
    IPAddress? Peer,
    bool IsLocal,
    bool IsStale,
    DecisionReason Reason,
    IReadOnlyList<uint> AsPath,
    uint? LocalPreference,
    IReadOnlyList<uint> Communities,
    int Candidates);
