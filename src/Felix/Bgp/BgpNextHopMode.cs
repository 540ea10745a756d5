namespace RoutedNet.Felix.Bgp;

/// <summary>BGPPeer <c>nextHopMode</c> (Calico's values).</summary>
public enum BgpNextHopMode
{
    Auto,
    Self,
    Keep,
}
