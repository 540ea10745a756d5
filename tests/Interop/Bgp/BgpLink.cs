using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// Two namespaces joined by a veth: ours (the speaker under test) and the peer's (BIRD, FRR or
/// GoBGP), with IPv4 and IPv6 addresses from benchmarking/ULA ranges that never leave them.
/// A third namespace can be attached for route-reflection tests.
/// </summary>
public sealed class BgpLink : IDisposable
{
    public const string OurV4 = "198.18.0.1";
    public const string PeerV4 = "198.18.0.2";
    public const string OurV6 = "fd00:198:18::1";
    public const string PeerV6 = "fd00:198:18::2";

    private readonly List<NetNs> _namespaces = [];

    public NetNs Ours { get; }

    public NetNs Peer { get; }

    public BgpLink()
    {
        Ours = Add(NetNs.Create());
        Peer = Add(NetNs.Create());
        // Not "rn…": the agent's policy table takes rn* interfaces for pods' veths (fail-closed), and
        // would drop what the peer starts towards the node (BFD's packets) as from an unknown pod.
        Connect(Ours, OurV4, OurV6, Peer, PeerV4, PeerV6, "bgpl0", "bgpl1");
    }

    /// <summary>Another peer namespace wired to ours on its own /24 (198.18.N.0) and /64.</summary>
    public NetNs AddPeer(int subnet, out string ourV4, out string peerV4)
    {
        var peer = Add(NetNs.Create());
        ourV4 = $"198.18.{subnet}.1";
        peerV4 = $"198.18.{subnet}.2";
        Connect(Ours, ourV4, $"fd00:198:18:{subnet}::1", peer, peerV4, $"fd00:198:18:{subnet}::2", $"bgpl{subnet}a", $"bgpl{subnet}b");
        return peer;
    }

    private NetNs Add(NetNs ns)
    {
        _namespaces.Add(ns);
        ns.Check("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        return ns;
    }

    private static void Connect(NetNs a, string aV4, string aV6, NetNs b, string bV4, string bV6, string aIf, string bIf)
    {
        a.Link(aIf, b, bIf, $"{aV4}/24", $"{bV4}/24");
        a.Check("ip", "-6", "addr", "add", $"{aV6}/64", "dev", aIf, "nodad");
        b.Check("ip", "-6", "addr", "add", $"{bV6}/64", "dev", bIf, "nodad");
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }
    }
}
