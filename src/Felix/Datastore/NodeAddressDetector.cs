using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using RoutedNet.Felix.Configuration;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Finds the addresses this node registers (Node.spec.addresses, CIDR form so peers know the
/// subnet): <c>--node-ip</c> if given, else the global addresses of the interfaces matching
/// <c>--node-ip-interface</c>, else those of the interface holding the default route (Calico's
/// "first-found"/"interface"/"can-reach" choices, without the guessing). Runs once at start; not
/// finding one is a fatal configuration error. <see cref="Choose"/> is the decision, apart from netlink.
/// </summary>
public static class NodeAddressDetector
{
    public static NodeAddressChoice Detect(AgentOptions options)
    {
        using var netlink = NetlinkHandle.Open();
        var links = netlink.ListLinks().ToDictionary(l => l.Index, l => l.Name);
        var addresses = netlink.ListAddresses().Where(a => a.Scope == RouteScope.Universe).ToList();
        var defaultRouteLinks = netlink.ListRoutes(new RouteFilter { Table = RouteTable.Main })
            .Where(r => r.Destination.PrefixLength == 0)
            .SelectMany(r => r.Nexthops.Count > 0 ? r.Nexthops.Select(n => n.LinkIndex) : [r.LinkIndex])
            .Where(i => i != 0)
            .ToHashSet();
        return Choose(options.NodeIp, options.NodeIpInterface, addresses, links, defaultRouteLinks);
    }

    public static NodeAddressChoice Choose(
        IPAddress? nodeIp,
        Regex? interfacePattern,
        IReadOnlyList<Address> addresses,
        IReadOnlyDictionary<int, string> linkNames,
        IReadOnlySet<int> defaultRouteLinks)
    {
        if (nodeIp is not null)
        {
            var configured = addresses.FirstOrDefault(a => a.Ip.Equals(nodeIp));
            var prefix = configured?.PrefixLength ?? (nodeIp.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return new NodeAddressChoice([$"{nodeIp}/{prefix}"], configured is null ? "--node-ip (not on any interface here)" : $"--node-ip (on {linkNames.GetValueOrDefault(configured.LinkIndex)})");
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
}
