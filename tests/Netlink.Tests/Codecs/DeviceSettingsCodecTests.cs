using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Codecs;

/// <summary>Byte-exact per-interface sysctl requests: IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF and RTM_SETNEIGHTBL.</summary>
public sealed class DeviceSettingsCodecTests
{
    [Fact]
    public void WriteIPv4Settings_TwoKeys_NestedUnderAfSpecInetConf()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        DeviceSettingsCodec.WriteIPv4Settings(ref writer, 7, [new(IPv4DeviceSetting.ProxyArp, 1), new(IPv4DeviceSetting.RouteLocalnet, 1)]);

        var expected = Hex.Bytes(
            "3c000000 1000 0500 00000000 00000000" + //   len 60, RTM_NEWLINK, REQUEST|ACK
            "00 00 0000 07000000 00000000 00000000" + //  ifinfomsg index 7
            "1c00 1a00" + //                               IFLA_AF_SPEC (28)
            "1800 0200" + //                                 AF_INET (24)
            "1400 0100" + //                                   IFLA_INET_CONF (20)
            "0800 0300 01000000" + //                            IPV4_DEVCONF_PROXY_ARP 1
            "0800 1a00 01000000"); //                            IPV4_DEVCONF_ROUTE_LOCALNET 1
        Assert.Equal(Hex.Of(expected), Hex.Of(writer.Written));
    }

    [Fact]
    public void WriteProxyDelay_IPv4_NamesArpCacheAndNestsIfindexAndDelay()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        DeviceSettingsCodec.WriteProxyDelay(ref writer, 2, 7, 0);

        var expected = Hex.Bytes(
            "3c000000 4300 0500 00000000 00000000" + //   len 60, RTM_SETNEIGHTBL, REQUEST|ACK
            "02 00 0000" + //                              ndtmsg AF_INET
            "0e00 0100 6172705f636163686500 0000" + //     NDTA_NAME "arp_cache\0", padded
            "1800 0600" + //                               NDTA_PARMS (24)
            "0800 0100 07000000" + //                        NDTPA_IFINDEX 7
            "0c00 0d00 0000000000000000"); //                NDTPA_PROXY_DELAY 0 ms (u64)
        Assert.Equal(Hex.Of(expected), Hex.Of(writer.Written));
    }

    [Theory]
    [InlineData(IPv4DeviceSetting.Forwarding, "forwarding")]
    [InlineData(IPv4DeviceSetting.ProxyArp, "proxy_arp")]
    [InlineData(IPv4DeviceSetting.RouteLocalnet, "route_localnet")]
    public void SysctlKey_EachSetting_IsItsProcSysFileName(IPv4DeviceSetting setting, string key) =>
        Assert.Equal(key, setting.SysctlKey());
}
