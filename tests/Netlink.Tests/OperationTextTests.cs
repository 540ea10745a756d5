using System.Net;
using System.Net.NetworkInformation;

namespace RoutedNet.Netlink.Tests;

public sealed class OperationTextTests
{
    private static string Name(int index) => index == 7 ? "rn0123" : $"index {index}";

    [Fact]
    public void Route_HostRoute_ReadsLikeIp()
    {
        var text = OperationText.Route(ChangeKind.Add, new Route { Destination = IPNetwork.Parse("10.244.1.5/32"), LinkIndex = 7 }, Name);

        Assert.Equal("route add 10.244.1.5/32 dev rn0123", text);
    }

    [Fact]
    public void Route_EveryOption_ReadsLikeIp()
    {
        var text = OperationText.Route(
            ChangeKind.Replace,
            new Route
            {
                Destination = IPNetwork.Parse("0.0.0.0/0"),
                Type = RouteType.Unicast,
                Gateway = IPAddress.Parse("169.254.1.1"),
                LinkIndex = 7,
                Table = 100,
                Protocol = RouteProtocol.RoutedNet,
                Metric = 5,
                OnLink = true,
            },
            Name);

        Assert.Equal("route replace default via 169.254.1.1 dev rn0123 table 100 proto 80 metric 5 onlink", text);
    }

    [Fact]
    public void Route_BlackholeAndMultipath_ReadsLikeIp()
    {
        Assert.Equal("route del blackhole 10.244.1.0/24", OperationText.Route(ChangeKind.Delete, new Route { Destination = IPNetwork.Parse("10.244.1.0/24"), Type = RouteType.Blackhole }, Name));
        Assert.Equal(
            "route add 10.9.0.0/16 nexthop via 172.18.0.3 dev rn0123 weight 1 nexthop via 172.19.0.3 dev index 8 weight 2",
            OperationText.Route(ChangeKind.Add, new Route { Destination = IPNetwork.Parse("10.9.0.0/16"), Nexthops = [new Nexthop { Gateway = IPAddress.Parse("172.18.0.3"), LinkIndex = 7 }, new Nexthop { Gateway = IPAddress.Parse("172.19.0.3"), LinkIndex = 8, Weight = 2 }] }, Name));
    }

    [Fact]
    public void Neighbour_Proxy_ReadsLikeIp()
    {
        Assert.Equal("neigh add proxy 10.0.0.1 dev rn0123", OperationText.Neighbour(ChangeKind.Add, new Neighbour { LinkIndex = 7, Ip = IPAddress.Parse("10.0.0.1"), Flags = NeighbourFlags.Proxy }, Name));
        Assert.Equal("neigh replace 10.0.0.1 lladdr ee:ee:ee:ee:ee:ee dev rn0123", OperationText.Neighbour(ChangeKind.Replace, new Neighbour { LinkIndex = 7, Ip = IPAddress.Parse("10.0.0.1"), LinkAddress = PhysicalAddress.Parse("EE-EE-EE-EE-EE-EE") }, Name));
    }

    [Fact]
    public void NetlinkException_UnnamedErrnoAndKernelText_StillReadable()
    {
        var error = new NetlinkException((Errno)200, "route add x", "Nexthop device is not up");

        Assert.Equal("route add x: errno 200 (Nexthop device is not up)", error.Message);
    }

    [Theory]
    [InlineData(SysctlTree.IPv4Conf, "rn0123", "proxy_arp", "/proc/sys/net/ipv4/conf/rn0123/proxy_arp")]
    [InlineData(SysctlTree.IPv6Conf, "eth0.100", "accept_ra", "/proc/sys/net/ipv6/conf/eth0.100/accept_ra")]
    [InlineData(SysctlTree.IPv4Neigh, "rn0123", "proxy_delay", "/proc/sys/net/ipv4/neigh/rn0123/proxy_delay")]
    [InlineData(SysctlTree.IPv6Neigh, "rn0123", "proxy_delay", "/proc/sys/net/ipv6/neigh/rn0123/proxy_delay")]
    public void InterfaceSysctls_PathOf_PerTree(SysctlTree tree, string link, string key, string path)
    {
        Assert.Equal(path, InterfaceSysctls.PathOf(tree, link, key));
    }
}
