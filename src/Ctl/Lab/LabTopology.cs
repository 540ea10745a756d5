using System.Net;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// The wires: a tor namespace with bridge br0 (172.18.0.1/16, every node's default gateway) and
/// per node a namespace whose eth0 is a veth into that bridge. Namespaces and the bridge come from
/// iproute2 (our netlink library makes neither); veths, addresses and routes from src/Netlink.
/// The node needs its default route: proxy ARP for 169.254.1.1 only answers when the node routes it.
/// </summary>
internal static class LabTopology
{
    public const string Gateway = "172.18.0.1";
    public const int PrefixLength = 16;
    public const string Bridge = "br0";

    public static string NamespacePath(string name) => $"/run/netns/{name}";

    public static bool NamespaceExists(string name) => File.Exists(NamespacePath(name));

    /// <summary>Recorded in the state before it exists, so a crash right after still gets it deleted.</summary>
    public static void AddNamespace(LabDirectory directory, LabState state, string name)
    {
        // Someone else's (another lab directory with the same prefix): never record it, so our down never deletes it.
        if (NamespaceExists(name))
        {
            throw new CtlException($"network namespace {name} already exists (a lab in another --lab-dir? remove it with its `lab down`, or use --prefix)");
        }
        state.Namespaces.Add(name);
        directory.Save(state);
        LabCommandLine.Ip("netns", "add", name);
        using var handle = NetlinkHandle.OpenNamespace(NamespacePath(name));
        handle.SetLinkUp(handle.GetLink("lo").Index);
    }

    public static void DeleteNamespace(string name)
    {
        if (NamespaceExists(name))
        {
            LabCommandLine.Ip("netns", "delete", name);
        }
    }

    public static void AddTor(LabDirectory directory, LabState state)
    {
        AddNamespace(directory, state, state.TorNamespace);
        LabCommandLine.Ip("-n", state.TorNamespace, "link", "add", Bridge, "type", "bridge");
        using var tor = NetlinkHandle.OpenNamespace(NamespacePath(state.TorNamespace));
        var bridge = tor.GetLink(Bridge);
        tor.AddAddress(new Address { LinkIndex = bridge.Index, Ip = IPAddress.Parse(Gateway), PrefixLength = PrefixLength });
        tor.SetLinkUp(bridge.Index);
        // The router forwards between nodes when it installs routes with itself as next hop.
        NetworkNamespace.Run(NamespacePath(state.TorNamespace), () => File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1"));
    }

    /// <summary>eth0 in the node (its address, up, default via the tor); the other end "NODE" in the bridge.</summary>
    public static void AddUplink(LabState state, LabNode node)
    {
        var nodePath = NamespacePath(node.Namespace);
        using (var tor = NetlinkHandle.OpenNamespace(NamespacePath(state.TorNamespace)))
        {
            var port = tor.AddVeth(new VethPair { Name = node.Name, PeerName = "eth0", PeerNamespacePath = nodePath });
            LabCommandLine.Ip("-n", state.TorNamespace, "link", "set", node.Name, "master", Bridge);
            tor.SetLinkUp(port.Index);
        }
        using var handle = NetlinkHandle.OpenNamespace(nodePath);
        var eth0 = handle.GetLink("eth0");
        handle.AddAddress(new Address { LinkIndex = eth0.Index, Ip = IPAddress.Parse(node.Address), PrefixLength = PrefixLength });
        handle.SetLinkUp(eth0.Index);
        handle.AddRoute(new Route { Destination = IPNetwork.Parse("0.0.0.0/0"), Gateway = IPAddress.Parse(Gateway), LinkIndex = eth0.Index });
    }
}
