using System.Net.Sockets;
using RoutedNet.Netlink;
using static RoutedNet.Integration.Netlink.NetlinkScope;

namespace RoutedNet.Integration.Netlink;

public sealed class RouteTests : IDisposable
{
    private readonly NetlinkScope _scope = new();

    private NetlinkHandle Handle => _scope.Handle;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void AddRoute_UnicastWithoutGateway_ScopeLinkWithProtocol()
    {
        var link = _scope.UpVeth();

        Handle.AddRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet });

        Assert.Equal("10.244.1.5 dev rnt0 proto 80 scope link", _scope.Ip("route", "show", "10.244.1.5/32").Trim());
        var listed = Assert.Single(Handle.ListRoutes(new RouteFilter { Destination = Net("10.244.1.5/32") }));
        Assert.Equal(RouteScope.Link, listed.Scope);
        Assert.Equal(RouteProtocol.RoutedNet, listed.Protocol);
        Assert.Equal(link.Index, listed.LinkIndex);
        Assert.Equal(RouteTable.Main, listed.Table);
    }

    [Fact]
    public void AddRoute_PodDefaultViaLinkLocal_AsThePodSees()
    {
        var link = _scope.UpVeth();

        Handle.AddRoute(new Route { Destination = Net("169.254.1.1/32"), LinkIndex = link.Index });
        Handle.AddRoute(new Route { Destination = Net("0.0.0.0/0"), Gateway = Addr("169.254.1.1"), LinkIndex = link.Index });

        var shown = _scope.Ip("route", "show");
        Assert.Contains("default via 169.254.1.1 dev rnt0", shown, StringComparison.Ordinal);
        Assert.Contains("169.254.1.1 dev rnt0 scope link", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRoute_IPv6DefaultViaLinkLocalGateway_Installed()
    {
        var link = _scope.UpVeth();

        Handle.AddRoute(new Route { Destination = Net("::/0"), Gateway = Addr("fe80::ecee:eeff:feee:eeee"), LinkIndex = link.Index });

        Assert.Contains("default via fe80::ecee:eeff:feee:eeee dev rnt0", _scope.Ip("-6", "route", "show"), StringComparison.Ordinal);
        var listed = Assert.Single(Handle.ListRoutes(new RouteFilter { Family = AddressFamily.InterNetworkV6, Destination = Net("::/0") }));
        Assert.Equal(Addr("fe80::ecee:eeff:feee:eeee"), listed.Gateway);
    }

    [Fact]
    public void AddRoute_GatewayNotOnLink_ThrowsUnlessOnLink()
    {
        var link = _scope.UpVeth();
        var route = new Route { Destination = Net("10.250.0.0/16"), Gateway = Addr("192.0.2.1"), LinkIndex = link.Index };

        var error = Assert.Throws<NetlinkException>(() => Handle.AddRoute(route));
        Handle.AddRoute(route with { OnLink = true });

        Assert.Equal(Errno.ENETUNREACH, error.Errno);
        Assert.Contains("10.250.0.0/16 via 192.0.2.1 dev rnt0 onlink", _scope.Ip("route", "show"), StringComparison.Ordinal);
        Assert.True(Assert.Single(Handle.ListRoutes(new RouteFilter { Destination = Net("10.250.0.0/16") })).OnLink);
    }

    [Fact]
    public void AddRoute_Blackhole_InstalledWithoutLink()
    {
        Handle.AddRoute(new Route { Destination = Net("10.244.1.0/24"), Type = RouteType.Blackhole, Protocol = RouteProtocol.RoutedNet });

        Assert.Equal("blackhole 10.244.1.0/24 proto 80", _scope.Ip("route", "show", "10.244.1.0/24").Trim());
        Assert.Single(Handle.ListRoutes(new RouteFilter { Type = RouteType.Blackhole, Protocol = RouteProtocol.RoutedNet }));
    }

    [Fact]
    public void AddRoute_MetricAndTable_KeptApart()
    {
        var link = _scope.UpVeth();

        Handle.AddRoute(new Route { Destination = Net("10.1.0.0/16"), LinkIndex = link.Index, Metric = 100 });
        Handle.AddRoute(new Route { Destination = Net("10.1.0.0/16"), LinkIndex = link.Index, Metric = 200 });
        Handle.AddRoute(new Route { Destination = Net("10.1.0.0/16"), LinkIndex = link.Index, Table = 1000 });

        Assert.Contains("metric 200", _scope.Ip("route", "show", "10.1.0.0/16"), StringComparison.Ordinal);
        Assert.Contains("10.1.0.0/16 dev rnt0", _scope.Ip("route", "show", "table", "1000"), StringComparison.Ordinal);
        Assert.Equal([100u, 200u], Handle.ListRoutes(new RouteFilter { Table = RouteTable.Main, Destination = Net("10.1.0.0/16") }).Select(r => r.Metric ?? 0).Order());
        Assert.Single(Handle.ListRoutes(new RouteFilter { Table = 1000 }));
    }

    [Fact]
    public void AddRoute_Existing_ThrowsEexistWithIpWords()
    {
        var link = _scope.UpVeth("rn0123", "rn0123p");
        var route = new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index };
        Handle.AddRoute(route);

        var error = Assert.Throws<NetlinkException>(() => Handle.AddRoute(route));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.StartsWith("route add 10.244.1.5/32 dev rn0123: EEXIST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRoute_UnknownLink_ThrowsEnodev()
    {
        var error = Assert.Throws<NetlinkException>(() => Handle.AddRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = 4242 }));

        Assert.Equal(Errno.ENODEV, error.Errno);
    }

    [Fact]
    public void ReplaceRoute_Existing_MovesToOtherLink()
    {
        var first = _scope.UpVeth("rnt0", "rnt0p");
        var second = _scope.UpVeth("rnt1", "rnt1p");
        Handle.AddRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = first.Index });

        Handle.ReplaceRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = second.Index });

        Assert.Equal(second.Index, Assert.Single(Handle.ListRoutes(new RouteFilter { Destination = Net("10.244.1.5/32") })).LinkIndex);
    }

    [Fact]
    public void DeleteRoute_OtherProtocol_LeavesItAloneWithEsrch()
    {
        var link = _scope.UpVeth();
        var route = new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index, Protocol = RouteProtocol.Static };
        Handle.AddRoute(route);

        var error = Assert.Throws<NetlinkException>(() => Handle.DeleteRoute(route with { Protocol = RouteProtocol.RoutedNet }));
        Handle.DeleteRoute(route);

        Assert.Equal(Errno.ESRCH, error.Errno);
        Assert.Equal("", _scope.Ip("route", "show", "10.244.1.5/32").Trim());
    }

    [Fact]
    public void AddRoute_Multipath_BothNexthopsWithWeights()
    {
        var first = _scope.UpVeth("rnt0", "rnt0p");
        var second = _scope.UpVeth("rnt1", "rnt1p");
        Handle.AddAddress(new Address { LinkIndex = first.Index, Ip = Addr("172.18.0.1"), PrefixLength = 24 });
        Handle.AddAddress(new Address { LinkIndex = second.Index, Ip = Addr("172.19.0.1"), PrefixLength = 24 });

        Handle.AddRoute(new Route
        {
            Destination = Net("10.244.9.0/24"),
            Protocol = RouteProtocol.RoutedNet,
            Nexthops =
            [
                new Nexthop { Gateway = Addr("172.18.0.3"), LinkIndex = first.Index },
                new Nexthop { Gateway = Addr("172.19.0.3"), LinkIndex = second.Index, Weight = 3 },
            ],
        });

        var shown = _scope.Ip("route", "show", "10.244.9.0/24");
        Assert.Contains("nexthop via 172.18.0.3 dev rnt0 weight 1", shown, StringComparison.Ordinal);
        Assert.Contains("nexthop via 172.19.0.3 dev rnt1 weight 3", shown, StringComparison.Ordinal);
        var listed = Assert.Single(Handle.ListRoutes(new RouteFilter { LinkIndex = second.Index, Protocol = RouteProtocol.RoutedNet }));
        Assert.Equal([1, 3], listed.Nexthops.Select(n => n.Weight));
        Assert.Equal([Addr("172.18.0.3"), Addr("172.19.0.3")], listed.Nexthops.Select(n => n.Gateway));
    }

    [Fact]
    public void ListRoutes_ByProtocol_OnlyOurs()
    {
        var link = _scope.UpVeth();
        Handle.AddAddress(new Address { LinkIndex = link.Index, Ip = Addr("172.18.0.1"), PrefixLength = 24 });
        Handle.AddRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet });
        Handle.AddRoute(new Route { Destination = Net("10.244.2.0/24"), Gateway = Addr("172.18.0.3"), Protocol = RouteProtocol.RoutedNet });
        Handle.AddRoute(new Route { Destination = Net("10.99.0.0/16"), LinkIndex = link.Index, Protocol = RouteProtocol.Static });

        var ours = Handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet });

        Assert.Equal(["10.244.1.5/32", "10.244.2.0/24"], ours.Select(r => r.Destination.ToString()).Order());
        Assert.Contains(Handle.ListRoutes(), r => r.Protocol == RouteProtocol.Kernel && r.Destination == Net("172.18.0.0/24"));
    }

    [Fact]
    public void AddRoute_IPv6Multipath_ListedAsOneRouteWithBothPaths()
    {
        var first = _scope.UpVeth("rnt0", "rnt0p");
        var second = _scope.UpVeth("rnt1", "rnt1p");

        Handle.AddRoute(new Route
        {
            Destination = Net("fd00:10:244:9::/64"),
            Protocol = RouteProtocol.RoutedNet,
            Nexthops =
            [
                new Nexthop { Gateway = Addr("fe80::1"), LinkIndex = first.Index },
                new Nexthop { Gateway = Addr("fe80::2"), LinkIndex = second.Index },
            ],
        });

        var shown = _scope.Ip("-6", "route", "show", "fd00:10:244:9::/64");
        Assert.Contains("nexthop via fe80::1 dev rnt0", shown, StringComparison.Ordinal);
        Assert.Contains("nexthop via fe80::2 dev rnt1", shown, StringComparison.Ordinal);
        var listed = Assert.Single(Handle.ListRoutes(new RouteFilter { Family = AddressFamily.InterNetworkV6, Protocol = RouteProtocol.RoutedNet }));
        Assert.Equal([first.Index, second.Index], listed.Nexthops.Select(n => n.LinkIndex).Order());
    }

    [Fact]
    public void ListRoutes_ByFamily_OnlyThatFamily()
    {
        var link = _scope.UpVeth();
        Handle.AddRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet });
        Handle.AddRoute(new Route { Destination = Net("fd00::5/128"), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet });

        var v4 = Handle.ListRoutes(new RouteFilter { Family = AddressFamily.InterNetwork, Protocol = RouteProtocol.RoutedNet });
        var v6 = Handle.ListRoutes(new RouteFilter { Family = AddressFamily.InterNetworkV6, Protocol = RouteProtocol.RoutedNet });

        Assert.Equal([Net("10.244.1.5/32")], v4.Select(r => r.Destination));
        Assert.Equal([Net("fd00::5/128")], v6.Select(r => r.Destination));
    }

    [Fact]
    public void ListRoutes_TableNobodyUsed_Empty()
    {
        Assert.Empty(Handle.ListRoutes(new RouteFilter { Table = 4321 }));
        Assert.Empty(Handle.ListRoutes(new RouteFilter { Table = 4321, Family = AddressFamily.InterNetwork }));
    }

    [Theory]
    [InlineData("10.244.1.5/32", "10.244.1.5", "10.244.1.5/32")]
    [InlineData("10.250.0.0/16", "10.250.7.9", "10.250.0.0/16")]
    [InlineData("fd00::5/128", "fd00::5", "fd00::5/128")]
    public void MatchRoute_AnswersTheEntryThatServesTheAddress(string installed, string asked, string expected)
    {
        var link = _scope.UpVeth();
        // At a metric other than the default, which an exclusive add would not collide with.
        Handle.AddRoute(new Route { Destination = Net(installed), LinkIndex = link.Index, Metric = 300 });

        var match = Handle.MatchRoute(Addr(asked));

        Assert.NotNull(match);
        Assert.Equal(Net(expected), match.Destination);
        Assert.Equal(link.Index, match.LinkIndex);
        Assert.Equal(300u, match.Metric);
        Assert.Equal(RouteTable.Main, match.Table);
    }

    [Fact]
    public void MatchRoute_LongestPrefixWins()
    {
        var link = _scope.UpVeth();
        Handle.AddRoute(new Route { Destination = Net("10.244.0.0/16"), Type = RouteType.Unicast, LinkIndex = link.Index });
        Handle.AddRoute(new Route { Destination = Net("10.244.1.5/32"), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet });

        Assert.Equal(Net("10.244.1.5/32"), Handle.MatchRoute(Addr("10.244.1.5"))?.Destination);
        Assert.Equal(Net("10.244.0.0/16"), Handle.MatchRoute(Addr("10.244.1.6"))?.Destination);
    }

    [Theory]
    [InlineData("")]
    [InlineData("blackhole")]
    [InlineData("unreachable")]
    [InlineData("prohibit")]
    public void MatchRoute_NoEntryOrAnErrorEntry_Null(string type)
    {
        if (type.Length > 0)
        {
            _scope.Ip("route", "add", type, "10.244.1.0/24");
        }

        Assert.Null(Handle.MatchRoute(Addr("10.244.1.5")));
        Assert.Null(Handle.MatchRoute(Addr("fd00::5")));
    }

    [Fact]
    public void AddRoute_ManyThreadsOnOneHandle_AllInstalled()
    {
        var link = _scope.UpVeth();

        Parallel.For(0, 200, i => Handle.AddRoute(new Route
        {
            Destination = new System.Net.IPNetwork(new System.Net.IPAddress([10, 77, (byte)(i / 100), (byte)(i % 100)]), 32),
            LinkIndex = link.Index,
            Protocol = RouteProtocol.RoutedNet,
        }));

        Assert.Equal(200, Handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet }).Count);
    }
}
