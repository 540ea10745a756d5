using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// ADD's result: what earlier plugins of the list reported (prevResult) plus our two interfaces,
/// the pod's full-length addresses and its default routes, so that chained plugins (portmap,
/// bandwidth) find the host veth and the pod's addresses where the spec says they are.
/// </summary>
internal static class AddResult
{
    public static CniResult Build(CniResult? prev, CniResult allocated, WiredPod wired, string netns, WiringPlan plan)
    {
        ArgumentNullException.ThrowIfNull(allocated);
        ArgumentNullException.ThrowIfNull(wired);
        ArgumentNullException.ThrowIfNull(plan);
        var interfaces = new List<CniInterface>(prev?.Interfaces ?? [])
        {
            new() { Name = wired.HostVeth.Name, Mac = PacketPath.HostMacText, Mtu = wired.HostVeth.Mtu },
            new() { Name = wired.PodInterface.Name, Mac = MacText(wired.PodInterface), Mtu = wired.PodInterface.Mtu, Sandbox = netns },
        };
        var podIndex = interfaces.Count - 1;
        var ips = new List<CniIpConfig>(prev?.Ips ?? []);
        ips.AddRange(plan.Addresses.Select(a => new CniIpConfig
        {
            Interface = podIndex,
            Address = a.Host.ToString(),
            Gateway = (a.IsIPv6 ? PacketPath.GatewayV6 : PacketPath.GatewayV4).ToString(),
        }));
        var routes = new List<CniRoute>(prev?.Routes ?? []);
        if (plan.HasIPv4)
        {
            routes.Add(new CniRoute { Dst = PacketPath.DefaultV4.ToString(), Gw = PacketPath.GatewayV4.ToString() });
        }
        if (plan.HasIPv6)
        {
            routes.Add(new CniRoute { Dst = PacketPath.DefaultV6.ToString(), Gw = PacketPath.GatewayV6.ToString() });
        }
        return new CniResult
        {
            Interfaces = interfaces,
            Ips = ips,
            Routes = routes,
            // host-local answers "dns": {} when it has nothing: an earlier plugin's DNS must survive that.
            Dns = allocated.Dns is { IsEmpty: false } ? allocated.Dns : prev?.Dns ?? allocated.Dns,
        };
    }

    public static string? MacText(Netlink.Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return link.Address is { } mac ? string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))) : null;
    }
}
