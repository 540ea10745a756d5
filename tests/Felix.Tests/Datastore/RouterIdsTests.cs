using System.Net;
using RoutedNet.Felix.Datastore;

namespace RoutedNet.Felix.Tests.Datastore;

public sealed class RouterIdsTests
{
    [Fact]
    public void For_NodeWithIPv4_ItsFirstIPv4Address()
    {
        var id = RouterIds.For([IPAddress.Parse("fd00::2"), IPAddress.Parse("172.18.0.2"), IPAddress.Parse("172.18.0.3")], "n1");

        Assert.Equal(IPAddress.Parse("172.18.0.2"), id);
    }

    [Fact]
    public void For_IPv6OnlyNode_StableNonZeroIdFromItsName()
    {
        IPAddress[] v6 = [IPAddress.Parse("fd00::2")];

        var id = RouterIds.For(v6, "node-a");

        Assert.Equal(id, RouterIds.For(v6, "node-a"));
        Assert.Equal(id, RouterIds.For([], "node-a"));
        Assert.NotEqual(id, RouterIds.For(v6, "node-b"));
        Assert.NotEqual(IPAddress.Any, id);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, id.AddressFamily);
    }
}
