using System.Net;

namespace RoutedNet.Felix.Hosting;

/// <summary>One prefix the node originates into BGP, with every reason it does (`routednetctl bgp advertised`).</summary>
public sealed record AdvertisedPrefix(IPNetwork Prefix, IReadOnlyList<string> Reasons, bool Blackholed);
