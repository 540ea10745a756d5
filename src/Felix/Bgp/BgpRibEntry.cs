using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>One Loc-RIB prefix: best path next hops (several for ECMP), AS path and the step that chose it.</summary>
public sealed record BgpRibEntry(
    IPNetwork Prefix,
    IReadOnlyList<IPAddress> NextHops,
    IReadOnlyList<uint> AsPath,
    string DecisionStep,
    IPAddress? Peer,
    bool Local);
