using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>A node's LAN: a bridge in the node's namespace holding its address, and other namespaces (routers, a reflector) attached to it by veths.</summary>
internal static class NodeLan
{
    public static void Create(NetNs node, string nodeV4)
    {
        node.Check("ip", "link", "add", "br0", "type", "bridge");
        node.Check("ip", "addr", "add", $"{nodeV4}/24", "dev", "br0");
        node.Check("ip", "link", "set", "br0", "up");
    }

    /// <summary>A namespace on the LAN: a veth whose node end is a port of br0.</summary>
    public static void Attach(NetNs node, string port, NetNs other, string otherV4)
    {
        node.Link(port, other, "eth0", otherCidr: $"{otherV4}/24");
        node.Check("ip", "link", "set", port, "master", "br0");
    }
}
