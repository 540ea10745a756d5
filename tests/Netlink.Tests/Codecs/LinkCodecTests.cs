using System.Net.NetworkInformation;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Codecs;

/// <summary>Byte-exact RTM_*LINK requests from struct ifinfomsg and the nested IFLA_LINKINFO layout.</summary>
public sealed class LinkCodecTests
{
    [Fact]
    public void WriteVeth_PeerInNamespace_NestsPeerWithNetnsFd()
    {
        var buffer = new byte[512];
        var writer = new NetlinkWriter(buffer);

        LinkCodec.WriteVeth(ref writer, new VethPair { Name = "rn0", PeerName = "eth0", Mtu = 1450, Address = PhysicalAddress.Parse("EE-EE-EE-EE-EE-EE") }, peerNamespaceFd: 9);

        var expected = Hex.Bytes(
            "80000000 1000 0506 00000000 00000000" + //   len 128, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            "00 00 0000 00000000 00000000 00000000" + //  ifinfomsg, all zero
            "0800 0300 726e3000" + //                      IFLA_IFNAME "rn0\0"
            "0800 0400 aa050000" + //                      IFLA_MTU 1450
            "0a00 0100 eeeeeeeeeeee 0000" + //             IFLA_ADDRESS, padded
            "4400 1200" + //                               IFLA_LINKINFO (68)
            "0900 0100 7665746800 000000" + //               IFLA_INFO_KIND "veth\0", padded
            "3400 0200" + //                                 IFLA_INFO_DATA (52)
            "3000 0100" + //                                   VETH_INFO_PEER (48)
            "00 00 0000 00000000 00000000 00000000" + //         peer ifinfomsg
            "0900 0300 6574683000 000000" + //                   IFLA_IFNAME "eth0\0", padded
            "0800 0400 aa050000" + //                            IFLA_MTU 1450
            "0800 1c00 09000000"); //                            IFLA_NET_NS_FD 9
        Assert.Equal(Hex.Of(expected), Hex.Of(writer.Written));
    }

    [Fact]
    public void WriteSet_Up_FlagsAndChangeMaskOnly()
    {
        var buffer = new byte[64];
        var writer = new NetlinkWriter(buffer);

        LinkCodec.WriteSet(ref writer, 5, flags: 1, change: 1);

        Assert.Equal(Hex.Of(Hex.Bytes("20000000 1000 0500 00000000 00000000 00 00 0000 05000000 01000000 01000000")), Hex.Of(writer.Written));
    }

    [Fact]
    public void Read_KernelVethLink_Decoded()
    {
        var payload = Hex.Bytes(
            "00 00 0100 07000000 43100100 00000000" + // ARPHRD_ETHER, index 7, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
            "0a00 0300 726e7430000000 00" + //          IFLA_IFNAME "rnt0\0\0" (kernel pads names)
            "0800 0400 dc050000" + //                   IFLA_MTU 1500
            "0800 0500 08000000" + //                   IFLA_LINK 8
            "0800 2500 00000000" + //                   IFLA_LINK_NETNSID 0
            "0500 1000 06 000000" + //                  IFLA_OPERSTATE up
            "0a00 0100 020000000005 0000" + //          IFLA_ADDRESS
            "1000 1200 0900 0100 7665746800 000000"); // IFLA_LINKINFO { KIND "veth" }

        var link = LinkCodec.Read(payload);

        Assert.Equal(7, link.Index);
        Assert.Equal("rnt0", link.Name);
        Assert.Equal(1500, link.Mtu);
        Assert.Equal(8, link.ParentIndex);
        Assert.Equal(0, link.PeerNamespaceId);
        Assert.Equal(OperationalState.Up, link.OperationalState);
        Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-05"), link.Address);
        Assert.Equal("veth", link.Kind);
        Assert.True(link.IsUp);
        Assert.Equal(LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Running | LinkFlags.Multicast | LinkFlags.LowerUp, link.Flags);
    }

    [Fact]
    public void WriteSet_DownInGroup_OneMessageWithIflaGroup()
    {
        var buffer = new byte[64];
        var writer = new NetlinkWriter(buffer);

        LinkCodec.WriteSet(ref writer, 5, flags: 0, change: 1, group: 29294);

        // len 40, RTM_NEWLINK, REQUEST|ACK; ifinfomsg index 5, flags 0, change IFF_UP; IFLA_GROUP 29294
        Assert.Equal(Hex.Of(Hex.Bytes("28000000 1000 0500 00000000 00000000 00 00 0000 05000000 00000000 01000000 0800 1b00 6e720000")), Hex.Of(writer.Written));
    }

    [Fact]
    public void WriteDeleteGroup_IndexZeroAndIflaGroup()
    {
        var buffer = new byte[64];
        var writer = new NetlinkWriter(buffer);

        LinkCodec.WriteDeleteGroup(ref writer, 29294);

        // len 40, RTM_DELLINK, REQUEST|ACK; ifinfomsg all zero; IFLA_GROUP 29294
        Assert.Equal(Hex.Of(Hex.Bytes("28000000 1100 0500 00000000 00000000 00 00 0000 00000000 00000000 00000000 0800 1b00 6e720000")), Hex.Of(writer.Written));
    }

    [Fact]
    public void Read_IflaGroup_Decoded()
    {
        var link = LinkCodec.Read(Hex.Bytes("00 00 0100 07000000 00000000 00000000 0a00 0300 726e7430000000 00 0800 1b00 6e720000"));

        Assert.Equal(29294u, link.Group);
        Assert.False(link.IsUp);
    }

    [Fact]
    public void Read_WithoutName_Throws()
    {
        Assert.Throws<InvalidDataException>(() => LinkCodec.Read(Hex.Bytes("00 00 0100 07000000 00000000 00000000")));
    }

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("rn0123456789abc", true)]
    [InlineData("rn0123456789abcd", false)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    public void LinkNames_IsValid_FollowsKernelRules(string name, bool valid)
    {
        Assert.Equal(valid, LinkNames.IsValid(name));
    }
}
