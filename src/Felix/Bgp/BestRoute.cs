using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// A learned best route to install: the whole ECMP next-hop set, empty when withdrawn. Backends
/// stream them in lists (one per batch of decisions), so it is a struct.
/// </summary>
public readonly record struct BestRoute(BgpPrefix Prefix, IReadOnlyList<IPAddress> NextHops);
