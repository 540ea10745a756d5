namespace RoutedNet.Felix.Bgp;

/// <summary>RFC 4271 §8.2.2 session states, as the agent reports them whatever the backend.</summary>
public enum PeerState
{
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
}
