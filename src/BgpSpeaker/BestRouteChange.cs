using System.Net;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>
/// One change of a learned best route for the node agent to program. <see cref="NextHops"/> holds
/// the whole ECMP set (empty for a withdrawal); prefixes we originate ourselves never appear here.
/// A struct: a full table is a million of them, streamed in one list per batch of decisions.
/// </summary>
public readonly record struct BestRouteChange(
    RouteChangeKind Kind,
    BgpPrefix Prefix,
    IReadOnlyList<IPAddress> NextHops,
    IPAddress? Peer,
    DecisionReason Reason);
