using System.Net;
using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Netlink.Tests.Netfilter;

/// <summary>The 5-tuple that `policy drops` and `policy trace` print, read from logged and traced headers.</summary>
public sealed class PacketSummaryTests
{
    [Fact]
    public void FromPacket_Ipv4WithOptions_TcpPortsAfterTheOptions()
    {
        // IHL 6: one 4-byte option before the TCP header.
        var packet = Hex.Bytes("46000030000000004006000a0a000001 0a000002 01010101 d4310050 00000000");

        var summary = PacketSummary.FromPacket(packet)!;

        Assert.Equal(IPAddress.Parse("10.0.0.1"), summary.Source);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), summary.Destination);
        Assert.Equal("10.0.0.1:54321 -> 10.0.0.2:80 tcp", summary.ToString());
    }

    [Fact]
    public void FromHeaders_Ipv6Udp_AddressesAndPorts()
    {
        var network = Hex.Bytes("60000000 0008 11 40 fd000000000000000000000000000001 fd000000000000000000000000000002");
        var transport = Hex.Bytes("1f9014e9 0008 0000");

        var summary = PacketSummary.FromHeaders(network, transport)!;

        Assert.Equal("[fd00::1]:8080 -> [fd00::2]:5353 udp", summary.ToString());
    }

    [Fact]
    public void FromHeaders_Icmp_TypeAndCode_NoPorts()
    {
        var network = Hex.Bytes("45000054000000004001000a0a0000010a000002");

        var summary = PacketSummary.FromHeaders(network, Hex.Bytes("0800"))!;

        Assert.Null(summary.DestinationPort);
        Assert.Equal("10.0.0.1 -> 10.0.0.2 icmp type 8 code 0", summary.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("45000054")]
    [InlineData("20000000000000000000000000000000000000000000")]
    public void FromPacket_NotIpOrTooShort_Null(string hex)
    {
        Assert.Null(PacketSummary.FromPacket(Hex.Bytes(hex)));
    }
}
