using System.Net;

namespace RoutedNet.Netlink.Tests;

public sealed class RouteTests
{
    private static Route Ecmp(int secondWeight) => new()
    {
        Destination = IPNetwork.Parse("10.244.9.0/24"),
        Protocol = RouteProtocol.RoutedNet,
        Nexthops = [new Nexthop { Gateway = IPAddress.Parse("172.18.0.3") }, new Nexthop { Gateway = IPAddress.Parse("172.19.0.3"), Weight = secondWeight }],
    };

    [Fact]
    public void Equals_SameNexthopsInNewLists_Equal()
    {
        Assert.Equal(Ecmp(2), Ecmp(2));
        Assert.Equal(Ecmp(2).GetHashCode(), Ecmp(2).GetHashCode());
    }

    [Fact]
    public void Equals_NexthopWeightDiffers_NotEqual()
    {
        Assert.NotEqual(Ecmp(2), Ecmp(3));
    }

    [Theory]
    [InlineData(RouteType.Unicast, false, RouteScope.Link)]
    [InlineData(RouteType.Unicast, true, RouteScope.Universe)]
    [InlineData(RouteType.Local, false, RouteScope.Host)]
    [InlineData(RouteType.Blackhole, false, RouteScope.Universe)]
    public void EffectiveScope_ScopeUnset_ChosenAsIpDoes(RouteType type, bool gateway, RouteScope expected)
    {
        var route = new Route { Destination = IPNetwork.Parse("10.0.0.0/8"), Type = type, Gateway = gateway ? IPAddress.Parse("10.1.1.1") : null };

        Assert.Equal(expected, route.EffectiveScope);
    }
}
