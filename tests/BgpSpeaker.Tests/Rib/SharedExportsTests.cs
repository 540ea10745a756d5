using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Rib;
using static RoutedNet.BgpSpeaker.Tests.Rib.Paths;

namespace RoutedNet.BgpSpeaker.Tests.Rib;

public class SharedExportsTests
{
    private const uint LocalAs = 65000;
    private const uint ClusterId = 0x0A000001;
    private static readonly ExportPolicy Reflect = new() { Learned = true };

    private static ExportTarget Client(string address, uint routerId, ExportPolicy? policy = null, string nextHop = "192.0.2.100") =>
        new(LocalAs, IPAddress.Parse(address), routerId, IsInternal: true, IsRouteReflectorClient: true, policy ?? Reflect, IPAddress.Parse(nextHop), null);

    [Fact]
    public void Transform_TwoClientsOfAReflector_GetOneSharedReflectedSet()
    {
        var exports = new SharedExports(new ExportRules(ClusterId, 100));
        var learned = From(Peer("192.0.2.1", LocalAs, 1, ibgp: true, client: true), Attributes());

        var first = exports.Transform(learned, AddressFamily.InterNetwork, Client("192.0.2.7", 7))!;
        var second = exports.Transform(learned, AddressFamily.InterNetwork, Client("192.0.2.8", 8))!;

        Assert.Same(first, second);
        Assert.Equal(1u, first.OriginatorId);
        Assert.Equal([ClusterId], first.ClusterList.ToArray());
        Assert.Equal(IPAddress.Parse("192.0.2.1"), first.NextHop);
    }

    [Fact]
    public void Transform_ClientWithItsOwnPolicy_GetsItsOwnSet()
    {
        var exports = new SharedExports(new ExportRules(ClusterId, 100));
        var learned = From(Peer("192.0.2.1", LocalAs, 1, ibgp: true, client: true), Attributes());

        var plain = exports.Transform(learned, AddressFamily.InterNetwork, Client("192.0.2.7", 7))!;
        var preferred = exports.Transform(learned, AddressFamily.InterNetwork, Client("192.0.2.8", 8, Reflect with { LocalPreference = 300 }))!;
        var again = exports.Transform(learned, AddressFamily.InterNetwork, Client("192.0.2.9", 9))!;

        Assert.Equal(100u, plain.LocalPref);
        Assert.Equal(300u, preferred.LocalPref);
        Assert.Equal(100u, again.LocalPref);
    }

    [Fact]
    public void Transform_OriginatedRouteToPeersWithDifferentLocalAddresses_EachGetsItsOwnNextHop()
    {
        var exports = new SharedExports(new ExportRules(ClusterId, 100));
        var originated = From(PathSource.Local, Attributes());

        var first = exports.Transform(originated, AddressFamily.InterNetwork, Client("192.0.2.7", 7, nextHop: "192.0.2.100"))!;
        var second = exports.Transform(originated, AddressFamily.InterNetwork, Client("198.51.100.7", 9, nextHop: "198.51.100.1"))!;

        Assert.Equal(IPAddress.Parse("192.0.2.100"), first.NextHop);
        Assert.Equal(IPAddress.Parse("198.51.100.1"), second.NextHop);
    }
}
