namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// The NEXT_HOP we give a peer (Calico BGPPeer's <c>nextHopMode</c>). <see cref="Auto"/> follows
/// RFC 4271 §5.1.3: ourselves towards eBGP and for what we originate, the route's own next hop
/// when passing an iBGP route on (reflection). <see cref="Self"/> is always ourselves (an RR in the
/// forwarding path); <see cref="Keep"/> keeps a learned route's next hop even towards eBGP (an RR
/// whose eBGP ToR should forward straight to the node that owns the prefix).
/// </summary>
public enum NextHopMode
{
    Auto,
    Self,
    Keep,
}
