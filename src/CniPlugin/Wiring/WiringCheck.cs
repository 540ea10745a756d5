using System.Net.Sockets;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// CHECK: compares the kernel with what ADD reported (prevResult) and DESIGN.md requires, on both
/// sides, and lists every difference rather than stopping at the first.
/// </summary>
internal static class WiringCheck
{
    public static List<string> Problems(NetlinkHandle host, NetlinkHandle pod, CniEnvironment env, CniResult prev)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(prev);
        var problems = new List<string>();
        var interfaces = prev.Interfaces ?? [];
        var podIndex = interfaces.FindIndex(i => i.Name == env.IfName && i.Sandbox is not null);
        if (podIndex < 0)
        {
            problems.Add($"prevResult lists no interface {env.IfName} in a sandbox");
            return problems;
        }
        var addresses = (prev.Ips ?? []).Where(ip => ip.Interface == podIndex).Select(ip => IpCidr.Parse(ip.Address).Host).ToList();
        if (addresses.Count == 0)
        {
            problems.Add($"prevResult has no address on {env.IfName}");
        }
        var plan = new WiringPlan(VethName.For(env), env.IfName, env.Netns, null, addresses);
        CheckHost(host, plan, problems);
        CheckPod(pod, plan, interfaces[podIndex].Mac, problems);
        return problems;
    }

    private static void CheckHost(NetlinkHandle host, WiringPlan plan, List<string> problems)
    {
        if (host.FindLink(plan.HostVeth) is not { } veth)
        {
            problems.Add($"host veth {plan.HostVeth} is missing");
            return;
        }
        if (AddResult.MacText(veth) != PacketPath.HostMacText)
        {
            problems.Add($"host veth {veth.Name} has MAC {AddResult.MacText(veth)}, not {PacketPath.HostMacText}");
        }
        if (!veth.IsUp)
        {
            problems.Add($"host veth {veth.Name} is down");
        }
        foreach (var sysctl in PodWiring.SysctlsFor(plan))
        {
            var value = InterfaceSysctls.Get(sysctl.Tree, veth.Name, sysctl.Key);
            if (value != sysctl.Value)
            {
                problems.Add($"{InterfaceSysctls.PathOf(sysctl.Tree, veth.Name, sysctl.Key)} is {value}, not {sysctl.Value}");
            }
        }
        foreach (var address in plan.Addresses)
        {
            var routes = host.ListRoutes(new RouteFilter { Family = FamilyOf(address), Table = RouteTable.Main, Destination = address.HostNetwork });
            if (!routes.Any(r => r.LinkIndex == veth.Index && r.Protocol == RouteProtocol.RoutedNet))
            {
                problems.Add($"the node has no route {address.HostNetwork} dev {veth.Name} proto {(int)RouteProtocol.RoutedNet}");
            }
        }
    }

    private static void CheckPod(NetlinkHandle pod, WiringPlan plan, string? expectedMac, List<string> problems)
    {
        if (pod.FindLink(plan.PodInterface) is not { } eth)
        {
            problems.Add($"{plan.PodInterface} is missing from {plan.Netns}");
            return;
        }
        if (!eth.IsUp)
        {
            problems.Add($"{eth.Name} is down");
        }
        if (expectedMac is not null && !string.Equals(AddResult.MacText(eth), expectedMac, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{eth.Name} has MAC {AddResult.MacText(eth)}, not {expectedMac}");
        }
        var held = pod.ListAddresses(new AddressFilter { LinkIndex = eth.Index });
        foreach (var address in plan.Addresses)
        {
            if (!held.Any(a => a.Ip.Equals(address.Address) && a.PrefixLength == address.PrefixLength))
            {
                problems.Add($"{eth.Name} does not hold {address}");
            }
        }
        var routes = pod.ListRoutes(new RouteFilter { Table = RouteTable.Main, LinkIndex = eth.Index });
        if (plan.HasIPv4)
        {
            if (!routes.Any(r => r.Destination == PacketPath.GatewayV4Host && r.Gateway is null && r.EffectiveScope == RouteScope.Link))
            {
                problems.Add($"route {PacketPath.GatewayV4Host} dev {eth.Name} scope link is missing");
            }
            if (!routes.Any(r => r.Destination == PacketPath.DefaultV4 && PacketPath.GatewayV4.Equals(r.Gateway)))
            {
                problems.Add($"route default via {PacketPath.GatewayV4} dev {eth.Name} is missing");
            }
        }
        if (plan.HasIPv6)
        {
            if (!routes.Any(r => r.Destination == PacketPath.DefaultV6 && PacketPath.GatewayV6.Equals(r.Gateway)))
            {
                problems.Add($"route default via {PacketPath.GatewayV6} dev {eth.Name} is missing");
            }
        }
        if (PacketPath.KernelHasIPv6)
        {
            var dad = InterfaceSysctls.Get(SysctlTree.IPv6Conf, eth.Name, "accept_dad", plan.Netns);
            if (dad != "0")
            {
                problems.Add($"accept_dad on {eth.Name} is {dad}, not 0");
            }
        }
    }

    private static AddressFamily FamilyOf(IpCidr address) =>
        address.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
}
