using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using RoutedNet.Felix.Configuration;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Finds the addresses this node registers (Node.spec.addresses, CIDR form so peers know the
/// subnet): <c>--node-ip</c> if given, else the global addresses of the interfaces matching
/// <c>--node-ip-interface</c>, else (kubernetes-internal-ip, the default with the kubernetes
/// datastore) the core Node's InternalIPs as kubelet registered them, else those of the interface
/// holding the default route (Calico's "first-found"/"interface"/"kubernetes-internal-ip" choices,
/// without the guessing). Runs once at start; not finding one is a fatal configuration error. <see cref="Choose"/> is the decision, apart from netlink.
/// </summary>
public static class NodeAddressDetector
{
    /// <param name="internalIps">The core Node's InternalIPs, read by the caller when <see cref="AgentOptions.NodeIpAutodetection"/> asks for them.</param>
    public static NodeAddressChoice Detect(AgentOptions options, IReadOnlyList<IPAddress>? internalIps = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var netlink = NetlinkHandle.Open();
        var links = netlink.ListLinks().ToDictionary(l => l.Index, l => l.Name);
        var addresses = netlink.ListAddresses().Where(a => a.Scope == RouteScope.Universe).ToList();
        var defaultRouteLinks = netlink.ListRoutes(new RouteFilter { Table = RouteTable.Main })
            .Where(r => r.Destination.PrefixLength == 0)
            .SelectMany(r => r.Nexthops.Count > 0 ? r.Nexthops.Select(n => n.LinkIndex) : [r.LinkIndex])
            .Where(i => i != 0)
            .ToHashSet();
        return Choose(options.NodeIp, options.NodeIpInterface, addresses, links, defaultRouteLinks, internalIps);
    }

    public static NodeAddressChoice Choose(
        IPAddress? nodeIp,
        Regex? interfacePattern,
        IReadOnlyList<Address> addresses,
        IReadOnlyDictionary<int, string> linkNames,
        IReadOnlySet<int> defaultRouteLinks,
        IReadOnlyList<IPAddress>? internalIps = null)
    {
        if (nodeIp is not null)
        {
            return Given([nodeIp], "--node-ip", addresses, linkNames);
        }
        if (interfacePattern is null && internalIps is not null)
        {
            // One per family, IPv4 first, as kubelet lists a dual-stack node's InternalIPs.
            var perFamily = internalIps.GroupBy(ip => ip.AddressFamily).OrderBy(g => g.Key == AddressFamily.InterNetwork ? 0 : 1).Select(g => g.First()).ToList();
            if (perFamily.Count == 0)
            {
                throw new ConfigurationException("the core Node has no InternalIP address (status.addresses); pass --node-ip or --node-ip-interface, or --node-ip-autodetection default-route");
            }
            return Given(perFamily, "the core Node's InternalIP", addresses, linkNames);
        }
        Func<Address, bool> pick;
        string how;
        if (interfacePattern is not null)
        {
            pick = a => interfacePattern.IsMatch(linkNames.GetValueOrDefault(a.LinkIndex, ""));
            how = $"interfaces matching /{interfacePattern}/";
        }
        else
        {
            pick = a => defaultRouteLinks.Contains(a.LinkIndex);
            how = "the interface holding the default route";
        }
        var chosen = addresses.Where(pick)
            .OrderBy(a => a.Ip.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .GroupBy(a => a.Ip.AddressFamily)
            .Select(g => g.First().ToString())
            .ToList();
        if (chosen.Count == 0)
        {
            throw new ConfigurationException($"cannot find this node's address on {how}; pass --node-ip or --node-ip-interface");
        }
        var names = addresses.Where(pick).Select(a => linkNames.GetValueOrDefault(a.LinkIndex, "?")).Distinct(StringComparer.Ordinal);
        return new NodeAddressChoice(chosen, $"{how} ({string.Join(", ", names)})");
    }

    // The prefix length comes from the interface holding the address (peers learn the node's subnet from it).
    private static NodeAddressChoice Given(IReadOnlyList<IPAddress> ips, string how, IReadOnlyList<Address> addresses, IReadOnlyDictionary<int, string> linkNames)
    {
        var chosen = new List<string>();
        var where = new List<string>();
        foreach (var ip in ips)
        {
            var configured = addresses.FirstOrDefault(a => a.Ip.Equals(ip));
            chosen.Add($"{ip}/{configured?.PrefixLength ?? (ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}");
            where.Add(configured is null ? "not on any interface here" : $"on {linkNames.GetValueOrDefault(configured.LinkIndex)}");
        }
        return new NodeAddressChoice(chosen, $"{how} ({string.Join(", ", where)})");
    }
}
