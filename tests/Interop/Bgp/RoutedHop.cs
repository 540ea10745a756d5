using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// The node and its BGP peer one real router apart: the node's namespace on 198.18.0.0/24, a
/// router namespace forwarding between that and 198.18.7.0/24, the peer's namespace there. Every
/// packet between node and peer crosses the router, which takes one off its TTL (255 arrives as
/// 254), as a peer one hop further away than the rack's ToR would.
/// </summary>
public sealed class RoutedHop : IDisposable
{
    public const string OurV4 = "198.18.0.1";
    public const string RouterOurSideV4 = "198.18.0.2";
    public const string RouterPeerSideV4 = "198.18.7.1";
    public const string PeerV4 = "198.18.7.2";

    public RoutedHop()
    {
        Ours = NetNs.Create("ttl");
        Router = NetNs.Create("ttl");
        Peer = NetNs.Create("ttl");
        Router.Check("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // Not "rn…" (the agent's policy takes rn* interfaces for pods' veths).
        Ours.Link("ttlh0", Router, "ttlh1", $"{OurV4}/24", $"{RouterOurSideV4}/24");
        Router.Link("ttlh2", Peer, "ttlh3", $"{RouterPeerSideV4}/24", $"{PeerV4}/24");
        Ours.Check("ip", "route", "add", "198.18.7.0/24", "via", RouterOurSideV4);
        Peer.Check("ip", "route", "add", "198.18.0.0/24", "via", RouterPeerSideV4);
    }

    /// <summary>The peer's loopback, as a ToR's router address: see <see cref="AddPeerLoopback"/>.</summary>
    public const string PeerLoopbackV4 = "198.18.9.1";

    public NetNs Ours { get; }

    public NetNs Router { get; }

    public NetNs Peer { get; }

    /// <summary>Puts <see cref="PeerLoopbackV4"/> on the peer's loopback, routed to from the node's side through the router.</summary>
    public void AddPeerLoopback()
    {
        Peer.Check("ip", "link", "set", "lo", "up");
        Peer.Check("ip", "addr", "add", $"{PeerLoopbackV4}/32", "dev", "lo");
        Router.Check("ip", "route", "add", $"{PeerLoopbackV4}/32", "via", PeerV4);
        Ours.Check("ip", "route", "add", $"{PeerLoopbackV4}/32", "via", RouterOurSideV4);
    }

    public void Dispose()
    {
        Peer.Dispose();
        Router.Dispose();
        Ours.Dispose();
    }
}
