using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// One BGPFilter rule as the agent applies it to a peer: its direction and family (the list it
/// came from), what it matches and its action. <see cref="Name"/> says where it came from
/// ("BGPFilter/NAME importV4[0]") for status and logs.
/// </summary>
public sealed record BgpFilterRule(
    bool Export,
    bool IPv6,
    bool Accept,
    IPNetwork? Cidr,
    BgpFilterMatch Match,
    int? MinLength,
    int? MaxLength,
    bool RemotePeersOnly,
    string Name);
