using System.Globalization;
using System.Security.Cryptography;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// The wires, as the lab lays them (src/Ctl/Lab/LabTopology.cs): a "tor" namespace holding bridge
/// br0 at <see cref="Gateway"/> (every node's default route; the stand-in API server and the BIRD
/// ToR listen there too), and per node a namespace whose eth0 is a veth into that bridge. All names
/// start with a random prefix (rnk + 4 hex digits), so parallel runs and the lab never meet, and
/// every one is recorded before it exists, so Dispose deletes exactly what was made.
/// </summary>
public sealed class ClusterNetwork : IDisposable
{
    public const string Gateway = "172.20.0.1";
    public const string Subnet = "172.20.0.0/16";
    private const int PrefixLength = 16;

    private readonly List<string> _namespaces = [];

    public string Prefix { get; }

    public string TorNamespace => Prefix + "-tor";

    public string TorPath => $"/run/netns/{TorNamespace}";

    private ClusterNetwork(string prefix) => Prefix = prefix;

    public static ClusterNetwork Create()
    {
        Root.Require();
        var network = new ClusterNetwork("rnk" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2)));
        try
        {
            network.AddNamespace(network.TorNamespace);
            Ip("-n", network.TorNamespace, "link", "add", "br0", "type", "bridge");
            Ip("-n", network.TorNamespace, "addr", "add", $"{Gateway}/{PrefixLength}", "dev", "br0");
            Ip("-n", network.TorNamespace, "link", "set", "br0", "up");
            // The tor forwards between nodes once it has routes (BIRD installs what it learns).
            Proc.Check("ip", "netns", "exec", network.TorNamespace, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return network;
    }

    /// <summary>Node <paramref name="index"/> (1-based) gets 172.20.0.(10+index).</summary>
    public static string NodeAddress(int index) => string.Create(CultureInfo.InvariantCulture, $"172.20.0.{10 + index}");

    /// <summary>Makes the node's namespace with eth0 on the bridge, its address and default route; returns the namespace name.</summary>
    public string AddNode(string nodeName, int index)
    {
        var ns = $"{Prefix}-{nodeName}";
        AddNamespace(ns);
        Ip("-n", TorNamespace, "link", "add", nodeName, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Ip("-n", TorNamespace, "link", "set", nodeName, "master", "br0");
        Ip("-n", TorNamespace, "link", "set", nodeName, "up");
        Ip("-n", ns, "addr", "add", $"{NodeAddress(index)}/{PrefixLength}", "dev", "eth0");
        Ip("-n", ns, "link", "set", "eth0", "up");
        Ip("-n", ns, "route", "add", "default", "via", Gateway, "dev", "eth0");
        return ns;
    }

    /// <summary>A pod's namespace (loopback up); deleted with the others if the kubelet did not.</summary>
    public string AddPodNamespace(string suffix)
    {
        var ns = $"{Prefix}-p-{suffix}";
        AddNamespace(ns);
        return ns;
    }

    public void DeleteNamespace(string ns)
    {
        if (File.Exists($"/run/netns/{ns}"))
        {
            Proc.Run("ip", "netns", "delete", ns);
        }
        lock (_namespaces)
        {
            _namespaces.Remove(ns);
        }
    }

    private void AddNamespace(string ns)
    {
        lock (_namespaces)
        {
            _namespaces.Add(ns);
        }
        Proc.Check("ip", "netns", "add", ns);
        Ip("-n", ns, "link", "set", "lo", "up");
    }

    private static void Ip(params string[] args) => Proc.Check("ip", args);

    /// <summary>Deleting the namespaces deletes their veths and the bridge.</summary>
    public void Dispose()
    {
        string[] all;
        lock (_namespaces)
        {
            all = [.. _namespaces];
        }
        foreach (var ns in all.Reverse())
        {
            DeleteNamespace(ns);
        }
    }
}
