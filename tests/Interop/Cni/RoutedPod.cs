using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// What a runtime-created pod on a `routednet` network must look like (DESIGN.md, "The packet
/// path"), inspected from outside: the pod's netns through nsenter, the node's through `ip`.
/// </summary>
public sealed record RoutedPod(string NetnsPath, string Ip, string HostVeth)
{
    private const string Gateway = "169.254.1.1";

    /// <summary>Checks the wiring of the pod in <paramref name="netnsPath"/> and returns it with its host veth.</summary>
    public static async Task<RoutedPod> AssertWiredAsync(CniNode node, string netnsPath, string ip)
    {
        Tools.Require("/usr/bin/ping", "iputils-ping");
        var addresses = InPod(netnsPath, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        Assert.Contains($"inet {ip}/32 ", addresses, StringComparison.Ordinal);

        var routes = InPod(netnsPath, "ip", "-4", "route", "show");
        Assert.Contains($"default via {Gateway} dev eth0", routes, StringComparison.Ordinal);
        Assert.Contains($"{Gateway} dev eth0 scope link", routes, StringComparison.Ordinal);

        var veth = node.RouteDeviceFor(ip);
        Assert.True(veth is not null, $"node has no route to {ip}/32:\n{node.Routes()}");
        Assert.Contains("scope link", node.RouteTo(ip), StringComparison.Ordinal);
        var link = node.Netns.Check("ip", "-o", "link", "show", "dev", veth).Stdout;
        Assert.Contains("link/ether ee:ee:ee:ee:ee:ee", link, StringComparison.Ordinal);

        // The routed path end to end: the pod ARPs for 169.254.1.1, the host veth answers by proxy
        // ARP, the node replies along the /32. Polled: eth0 may show NO-CARRIER for up to ~1 s
        // after the peer moved namespaces (kernel linkwatch delay).
        await Eventually.Until(
            () => RunInPod(netnsPath, "ping", "-c", "1", "-W", "1", CniNode.UplinkAddress).Succeeded,
            $"pod {ip} to reach the node at {CniNode.UplinkAddress}",
            TimeSpan.FromSeconds(10));
        return new RoutedPod(netnsPath, ip, veth!);
    }

    /// <summary>After the runtime tore the pod down: no host veth, no route, the address back in the pool, the netns gone.</summary>
    public void AssertNothingLeft(CniNode node, CniNetwork network)
    {
        Assert.False(node.HasLink(HostVeth), $"host veth {HostVeth} is still on the node");
        Assert.Null(node.RouteDeviceFor(Ip));
        Assert.False(network.IsAllocated(Ip), $"{Ip} is still allocated in host-local's {network.IpamDataDir}");
        Assert.False(File.Exists(NetnsPath), $"pod netns {NetnsPath} is still mounted");
    }

    private static string InPod(string netnsPath, string file, params string[] args) =>
        RunInPod(netnsPath, file, args).EnsureSuccess().Stdout;

    private static ProcessResult RunInPod(string netnsPath, string file, params string[] args) =>
        Proc.Run("nsenter", [$"--net={netnsPath}", file, .. args]);
}
