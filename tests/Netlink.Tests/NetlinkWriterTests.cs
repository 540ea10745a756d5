using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests;

public sealed class NetlinkWriterTests
{
    [Fact]
    public void Reserve_PastTheBuffer_ThrowsWithoutWriting()
    {
        var error = Record.Exception(() =>
        {
            var writer = new NetlinkWriter(new byte[20]);
            writer.BeginMessage(16, 1, 1);
            writer.WriteUInt32(1, 5);
        });

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void WriteAttribute_OddLength_PaddedWithZeros()
    {
        var buffer = Enumerable.Repeat((byte)0xaa, 16).ToArray();
        var writer = new NetlinkWriter(buffer);

        writer.WriteAttribute(3, [1, 2, 3, 4, 5]);

        Assert.Equal(12, writer.Length);
        Assert.Equal("09000300010203040500 0000".Replace(" ", "", StringComparison.Ordinal), Hex.Of(writer.Written));
    }
}
