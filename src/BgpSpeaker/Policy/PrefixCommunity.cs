using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// A community added to every route sent whose prefix lies inside <see cref="Cidr"/> (Calico's
/// BGPConfiguration prefixAdvertisements): a standard one (RFC 1997, high 16 bits the AS) or a
/// large one (RFC 8092); exactly one of the two is set.
/// </summary>
public sealed record PrefixCommunity(RibPrefix Cidr, uint? Standard, LargeCommunity? Large);
