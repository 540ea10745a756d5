using System.Net;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Codecs;

/// <summary>Byte-exact RTM_*ADDR requests from struct ifaddrmsg.</summary>
public sealed class AddressCodecTests
{
    [Fact]
    public void Write_AddIPv6NoDad_FlagsInHeaderAndIfaFlags()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        AddressCodec.Write(ref writer, add: true, new Address { LinkIndex = 3, Ip = IPAddress.Parse("fd00::5"), PrefixLength = 128, Flags = AddressFlags.NoDad });

        var expected = Hex.Bytes(
            "48000000 1400 0506 00000000 00000000" + // len 72, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
            "0a 80 02 00 03000000" + //                 AF_INET6, /128, IFA_F_NODAD, universe, index 3
            "1400 0200 fd000000000000000000000000000005" + // IFA_LOCAL
            "1400 0100 fd000000000000000000000000000005" + // IFA_ADDRESS
            "0800 0800 02000000"); //                   IFA_FLAGS
        Assert.Equal(Hex.Of(expected), Hex.Of(writer.Written));
    }

    [Fact]
    public void Write_DeleteIPv4_NoFlagsAttribute()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        AddressCodec.Write(ref writer, add: false, new Address { LinkIndex = 3, Ip = IPAddress.Parse("10.244.1.5"), PrefixLength = 32 });

        Assert.Equal(
            Hex.Of(Hex.Bytes("28000000 1500 0500 00000000 00000000 02 20 00 00 03000000 0800 0200 0af40105 0800 0100 0af40105")),
            Hex.Of(writer.Written));
    }

    [Fact]
    public void Write_PrefixTooLong_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var writer = new NetlinkWriter(new byte[128]);
            AddressCodec.Write(ref writer, add: true, new Address { LinkIndex = 1, Ip = IPAddress.Parse("10.0.0.1"), PrefixLength = 33 });
        });
    }

    [Fact]
    public void Read_IfaFlagsAttribute_OverridesEightBitField()
    {
        var address = AddressCodec.Read(Hex.Bytes(
            "02 18 80 00 04000000" +
            "0800 0100 0a000001" +
            "0800 0200 0a000001" +
            "0900 0300 72746e3000 000000" + // IFA_LABEL "rtn0"
            "0800 0800 80020000")); //        IFA_FLAGS PERMANENT|NOPREFIXROUTE

        Assert.NotNull(address);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), address.Ip);
        Assert.Equal(24, address.PrefixLength);
        Assert.Equal(4, address.LinkIndex);
        Assert.Equal("rtn0", address.Label);
        Assert.Equal(AddressFlags.Permanent | AddressFlags.NoPrefixRoute, address.Flags);
    }

    [Fact]
    public void Read_PointToPoint_LocalWinsOverPeer()
    {
        var address = AddressCodec.Read(Hex.Bytes("02 20 00 00 04000000 0800 0100 0a000002 0800 0200 0a000001"));

        Assert.Equal(IPAddress.Parse("10.0.0.1"), address!.Ip);
    }
}
