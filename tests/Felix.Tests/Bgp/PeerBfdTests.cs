using System.Net;
using RoutedNet.Felix.Bgp;

namespace RoutedNet.Felix.Tests.Bgp;

/// <summary>Which peers get multihop BFD (RFC 5883): those on none of the node's connected subnets.</summary>
public sealed class PeerBfdTests
{
    [Theory]
    [InlineData("172.18.0.2", "172.18.0.1", 24, true)]
    [InlineData("172.18.0.2", "172.18.1.1", 24, false)]
    [InlineData("10.0.0.130", "10.0.0.200", 25, true)]
    [InlineData("10.0.0.130", "10.0.0.100", 25, false)]
    [InlineData("10.0.0.1", "10.0.0.2", 32, false)]
    [InlineData("fd00:198:18::1", "fd00:198:18::2", 64, true)]
    [InlineData("fd00:198:18::1", "fd00:198:19::2", 64, false)]
    [InlineData("fe80::1", "fe80::abcd:1", 64, true)]
    public void SamePrefix_InterfaceAddressAndPeer_OnTheLinkOnlyWithinThePrefix(string ours, string peer, int length, bool expected) =>
        Assert.Equal(expected, PeerBfd.SamePrefix(IPAddress.Parse(ours), IPAddress.Parse(peer), length));

    [Fact]
    public void OnConnectedSubnet_AnAddressNoInterfaceCovers_IsMultihop() =>
        // TEST-NET-2 (RFC 5737) is on no interface of a test host.
        Assert.False(PeerBfd.OnConnectedSubnet(IPAddress.Parse("198.51.100.77")));
}
