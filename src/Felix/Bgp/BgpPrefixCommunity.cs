using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>One community of BGPConfiguration prefixAdvertisements: added to every route sent whose prefix lies inside <see cref="Cidr"/>.</summary>
public sealed record BgpPrefixCommunity(IPNetwork Cidr, uint? Standard, (uint Global, uint Local1, uint Local2)? Large);
