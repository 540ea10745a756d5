using System.Net;
using System.Net.NetworkInformation;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Codecs;

/// <summary>Byte-exact RTM_*NEIGH requests from struct ndmsg.</summary>
public sealed class NeighbourCodecTests
{
    [Fact]
    public void Write_AddProxy_NtfProxyWithoutLladdr()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        NeighbourCodec.Write(ref writer, ChangeKind.Add, new Neighbour { LinkIndex = 6, Ip = IPAddress.Parse("10.244.1.5"), Flags = NeighbourFlags.Proxy });

        Assert.Equal(
            Hex.Of(Hex.Bytes("24000000 1c00 0506 00000000 00000000 02 00 0000 06000000 8000 08 00 0800 0100 0af40105")),
            Hex.Of(writer.Written));
    }

    [Fact]
    public void Write_ReplacePermanent_WithLladdr()
    {
        var buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);

        NeighbourCodec.Write(ref writer, ChangeKind.Replace, new Neighbour { LinkIndex = 6, Ip = IPAddress.Parse("10.0.0.9"), LinkAddress = PhysicalAddress.Parse("02-00-00-00-00-09") });

        Assert.Equal(
            Hex.Of(Hex.Bytes("30000000 1c00 0505 00000000 00000000 02 00 0000 06000000 8000 00 00 0800 0100 0a000009 0a00 0200 020000000009 0000")),
            Hex.Of(writer.Written));
    }

    [Fact]
    public void Read_ReachableEntry_Decoded()
    {
        var neighbour = NeighbourCodec.Read(Hex.Bytes("02 00 0000 06000000 0200 00 01 0800 0100 0a000009 0a00 0200 020000000009 0000"));

        Assert.NotNull(neighbour);
        Assert.Equal(NeighbourState.Reachable, neighbour.State);
        Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-09"), neighbour.LinkAddress);
        Assert.False(neighbour.IsProxy);
    }
}
