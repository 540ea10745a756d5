using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// A `routednet` network for a runtime: a CNI conf dir holding one conflist, a CNI bin dir with
/// our plugin plus the reference `host-local` (IPAM) and `loopback` (containerd sets up the
/// sandbox's lo with it), host-local's and routednet's data dirs, all under the test's scratch
/// dir, so nothing is read from or written to /etc/cni, /var/lib/cni/networks or
/// /var/lib/cni/routednet. Both runtimes here embed libcni 1.1.2, which speaks CNI up to 1.0.0:
/// hence the conflist's version.
/// </summary>
public sealed class CniNetwork
{
    public string Name { get; }
    public string ConfDir { get; }
    public string BinDir { get; }
    public string IpamDataDir { get; }

    private CniNetwork(string name, string confDir, string binDir, string ipamDataDir)
    {
        Name = name;
        ConfDir = confDir;
        BinDir = binDir;
        IpamDataDir = ipamDataDir;
    }

    public static CniNetwork CreateRoutednet(Scratch scratch, string name, string subnet)
    {
        var network = new CniNetwork(
            name,
            scratch.Path("cni/net.d", create: true),
            scratch.Path("cni/bin", create: true),
            scratch.Path("cni/ipam", create: true));
        network.LinkPlugin("routednet", RepoPaths.Binary("routednet"));
        foreach (var reference in new[] { "host-local", "loopback" })
        {
            network.LinkPlugin(reference, Tools.Require($"/usr/lib/cni/{reference}", "containernetworking-plugins"));
        }
        var conflist = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = name,
            ["plugins"] = new JsonArray(new JsonObject
            {
                ["type"] = "routednet",
                ["mtu"] = 1500,
                // routednet's attachment records (default /var/lib/cni/routednet) stay in the scratch dir too.
                ["dataDir"] = scratch.Path("cni/routednet"),
                ["ipam"] = new JsonObject
                {
                    ["type"] = "host-local",
                    ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = subnet })),
                    ["dataDir"] = network.IpamDataDir,
                },
            }),
        };
        File.WriteAllText(Path.Combine(network.ConfDir, $"10-{name}.conflist"), conflist.ToJsonString());
        return network;
    }

    /// <summary>Whether host-local still holds <paramref name="ip"/> (it keeps one file per allocated address).</summary>
    public bool IsAllocated(string ip) => File.Exists(Path.Combine(IpamDataDir, Name, ip));

    private void LinkPlugin(string name, string target) =>
        File.CreateSymbolicLink(Path.Combine(BinDir, name), target);
}
