using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>A learned best route to install: the whole ECMP next-hop set, empty when withdrawn.</summary>
public sealed record BestRoute(IPNetwork Prefix, IReadOnlyList<IPAddress> NextHops);
