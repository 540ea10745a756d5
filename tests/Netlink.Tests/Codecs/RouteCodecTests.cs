using System.Net;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Codecs;

/// <summary>Byte-exact RTM_*ROUTE requests, laid out by hand from struct nlmsghdr, struct rtmsg and struct rtattr.</summary>
public sealed class RouteCodecTests
{
    private static string Encode(ChangeKind change, Route route)
    {
        var buffer = new byte[512];
        var writer = new NetlinkWriter(buffer);
        RouteCodec.Write(ref writer, change, route, 1);
        return Hex.Of(writer.Written);
    }

    [Fact]
    public void Write_AddHostRouteScopeLinkProto80_MatchesKernelLayout()
    {
        var bytes = Encode(ChangeKind.Add, new Route { Destination = IPNetwork.Parse("10.244.1.5/32"), LinkIndex = 7, Protocol = RouteProtocol.RoutedNet });

        var expected = Hex.Of(Hex.Bytes(
            "2c000000 1800 0506 01000000 00000000" + // nlmsghdr: len 44, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq 1, pid 0
            "02 20 00 00 fe 50 fd 01 00000000" + //      rtmsg: AF_INET, /32, main, proto 80, scope link, unicast
            "0800 0100 0af40105" + //                    RTA_DST 10.244.1.5
            "0800 0400 07000000")); //                   RTA_OIF 7
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Write_ReplaceDefaultViaGatewayOnLinkTable1000Metric_MatchesKernelLayout()
    {
        var bytes = Encode(ChangeKind.Replace, new Route
        {
            Destination = IPNetwork.Parse("0.0.0.0/0"),
            Gateway = IPAddress.Parse("169.254.1.1"),
            LinkIndex = 2,
            Table = 1000,
            Metric = 100,
            OnLink = true,
        });

        var expected = Hex.Of(Hex.Bytes(
            "3c000000 1800 0505 01000000 00000000" + // RTM_NEWROUTE, REQUEST|ACK|REPLACE|CREATE
            "02 00 00 00 00 03 00 01 04000000" + //     no dst, table in RTA_TABLE, proto boot, universe, RTNH_F_ONLINK
            "0800 0f00 e8030000" + //                   RTA_TABLE 1000
            "0800 0500 a9fe0101" + //                   RTA_GATEWAY 169.254.1.1
            "0800 0400 02000000" + //                   RTA_OIF 2
            "0800 0600 64000000")); //                  RTA_PRIORITY 100
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Write_DeleteBlackholeWithoutScope_MatchesAnyScope()
    {
        var bytes = Encode(ChangeKind.Delete, new Route { Destination = IPNetwork.Parse("10.244.1.0/24"), Type = RouteType.Blackhole, Protocol = RouteProtocol.RoutedNet });

        var expected = Hex.Of(Hex.Bytes(
            "24000000 1900 0500 01000000 00000000" + // RTM_DELROUTE, REQUEST|ACK
            "02 18 00 00 fe 50 ff 06 00000000" + //     /24, main, proto 80, scope nowhere (any), blackhole
            "0800 0100 0af40100"));
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Write_IPv6DefaultViaLinkLocal_SixteenByteGateway()
    {
        var bytes = Encode(ChangeKind.Add, new Route { Destination = IPNetwork.Parse("::/0"), Gateway = IPAddress.Parse("fe80::ecee:eeff:feee:eeee"), LinkIndex = 3 });

        var expected = Hex.Of(Hex.Bytes(
            "38000000 1800 0506 01000000 00000000" +
            "0a 00 00 00 fe 03 00 01 00000000" + //     AF_INET6, universe (has a gateway)
            "1400 0500 fe80000000000000 eceeeefffeeeeeee" +
            "0800 0400 03000000"));
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Write_Multipath_RtnexthopsWithWeightsMinusOne()
    {
        var bytes = Encode(ChangeKind.Replace, new Route
        {
            Destination = IPNetwork.Parse("10.244.9.0/24"),
            Protocol = RouteProtocol.RoutedNet,
            Nexthops =
            [
                new Nexthop { Gateway = IPAddress.Parse("172.18.0.3"), LinkIndex = 4 },
                new Nexthop { Gateway = IPAddress.Parse("172.19.0.3"), LinkIndex = 5, Weight = 3, OnLink = true },
            ],
        });

        var expected = Hex.Of(Hex.Bytes(
            "48000000 1800 0505 01000000 00000000" +
            "02 18 00 00 fe 50 00 01 00000000" + //     scope universe: the paths have gateways
            "0800 0100 0af40900" +
            "2400 0900" + //                            RTA_MULTIPATH, 36 bytes
            "1000 00 00 04000000 0800 0500 ac120003" + // rtnexthop len 16, flags 0, hops 0 (weight 1), ifindex 4, RTA_GATEWAY
            "1000 04 02 05000000 0800 0500 ac130003")); // RTNH_F_ONLINK, hops 2 (weight 3), ifindex 5
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Write_WeightOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(ChangeKind.Add, new Route
        {
            Destination = IPNetwork.Parse("10.0.0.0/8"),
            Nexthops = [new Nexthop { LinkIndex = 1, Weight = 0 }],
        }));
    }

    [Fact]
    public void RouteBatch_GatewayOfOtherFamily_RejectedWhenAdded()
    {
        var batch = new RouteBatch();

        Assert.Throws<ArgumentException>(() => batch.Add(new Route { Destination = IPNetwork.Parse("10.0.0.0/8"), Gateway = IPAddress.Parse("fe80::1") }));
        Assert.Throws<ArgumentException>(() => batch.Replace(new Route { Destination = IPNetwork.Parse("fd00::/8"), Nexthops = [new Nexthop { Gateway = IPAddress.Parse("10.0.0.1") }] }));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Write_Everything_FitsTheBatchSizeBound()
    {
        var route = new Route
        {
            Destination = IPNetwork.Parse("fd00::/64"),
            Gateway = IPAddress.Parse("fe80::1"),
            LinkIndex = 1,
            Table = 5000,
            Metric = 1,
            PreferredSource = IPAddress.Parse("fd00::1"),
            Nexthops = [new Nexthop { Gateway = IPAddress.Parse("fe80::2"), LinkIndex = 2 }, new Nexthop { Gateway = IPAddress.Parse("fe80::3"), LinkIndex = 3 }],
        };

        Assert.True(Hex.Bytes(Encode(ChangeKind.Add, route)).Length <= RouteCodec.MaxLength(route));
    }

    [Fact]
    public void Read_KernelMultipathRouteInTable1000_Decoded()
    {
        // What the kernel sends in a dump: rtm_table 252 (RT_TABLE_COMPAT) with the real id in RTA_TABLE.
        var payload = Hex.Bytes(
            "02 18 00 00 fc 50 00 01 00000000" +
            "0800 0f00 e8030000" +
            "0800 0100 0af40900" +
            "0800 0600 0a000000" +
            "2400 0900" +
            "1000 00 00 04000000 0800 0500 ac120003" +
            "1000 04 02 05000000 0800 0500 ac130003");

        var route = RouteCodec.Read(payload);

        Assert.NotNull(route);
        Assert.Equal(IPNetwork.Parse("10.244.9.0/24"), route.Destination);
        Assert.Equal(1000u, route.Table);
        Assert.Equal(10u, route.Metric);
        Assert.Equal(RouteProtocol.RoutedNet, route.Protocol);
        Assert.Equal(RouteScope.Universe, route.Scope);
        Assert.Equal(2, route.Nexthops.Count);
        Assert.Equal(new Nexthop { Gateway = IPAddress.Parse("172.19.0.3"), LinkIndex = 5, Weight = 3, OnLink = true }, route.Nexthops[1]);
    }

    [Fact]
    public void Read_DefaultRouteWithoutRtaDst_DestinationIsAllZeros()
    {
        var route = RouteCodec.Read(Hex.Bytes("0a 00 00 00 fe 03 00 01 00000000 1400 0500 fe800000000000000000000000000001"));

        Assert.NotNull(route);
        Assert.Equal(IPNetwork.Parse("::/0"), route.Destination);
        Assert.Equal(IPAddress.Parse("fe80::1"), route.Gateway);
    }

    [Fact]
    public void Read_ClonedCacheRoute_Skipped()
    {
        Assert.Null(RouteCodec.Read(Hex.Bytes("0a 80 00 00 fe 02 00 01 00020000")));
    }

    [Fact]
    public void Read_ShortRtmsg_Throws()
    {
        Assert.Throws<InvalidDataException>(() => RouteCodec.Read(Hex.Bytes("02 18 00 00 fe")));
    }

    [Fact]
    public void WriteDump_ProtocolTableAndLinkFilter_KernelFiltersForUs()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        RouteCodec.WriteDump(ref writer, new RouteFilter { Protocol = RouteProtocol.RoutedNet, Table = RouteTable.Main, LinkIndex = 9, Family = System.Net.Sockets.AddressFamily.InterNetwork });

        Assert.Equal(
            Hex.Of(Hex.Bytes("24000000 1a00 0103 00000000 00000000 02 00 00 00 fe 50 00 00 00000000 0800 0400 09000000")),
            Hex.Of(writer.Written));
    }

    [Fact]
    public void Write_ThousandRoutesIntoOneBuffer_AllocatesNothing()
    {
        var routes = Enumerable.Range(0, 1000)
            .Select(i => new Route { Destination = new IPNetwork(new IPAddress([10, 244, (byte)(i >> 8), (byte)i]), 32), LinkIndex = 7, Protocol = RouteProtocol.RoutedNet })
            .ToArray();
        var buffer = new byte[routes.Sum(RouteCodec.MaxLength)];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var writer = new NetlinkWriter(buffer);
        for (var i = 0; i < routes.Length; i++)
        {
            RouteCodec.Write(ref writer, ChangeKind.Replace, routes[i], (uint)i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000 * 44, writer.Length);
    }
}
