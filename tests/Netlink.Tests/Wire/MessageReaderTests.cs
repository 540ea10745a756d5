using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Wire;

public sealed class MessageReaderTests
{
    [Fact]
    public void MoveNext_TwoMessagesOneUnaligned_BothWithPayloads()
    {
        // A 17-byte message padded to 20, then a bare 16-byte NLMSG_DONE.
        var datagram = Hex.Bytes("11000000 1000 0200 07000000 2a000000 ff 000000" + "10000000 0300 0200 07000000 2a000000");
        var seen = new List<(ushort Type, ushort Flags, uint Seq, uint Pid, string Payload)>();

        foreach (var message in new MessageReader(datagram))
        {
            seen.Add((message.Type, message.Flags, message.Sequence, message.PortId, Hex.Of(message.Payload)));
        }

        Assert.Equal([((ushort)16, (ushort)2, 7u, 42u, "ff"), ((ushort)3, (ushort)2, 7u, 42u, "")], seen);
    }

    [Theory]
    [InlineData("0f000000 1000 0000 00000000 00000000", "length below the header size")]
    [InlineData("20000000 1000 0000 00000000 00000000", "length beyond the datagram")]
    [InlineData("10000000 1000 0000 00000000 00000000 0000", "stray bytes after the last message")]
    public void MoveNext_Malformed_ThrowsInvalidData(string hex, string label)
    {
        var datagram = Hex.Bytes(hex);

        var error = Record.Exception(() =>
        {
            foreach (var message in new MessageReader(datagram))
            {
                _ = message.Type;
            }
        });

        Assert.True(error is InvalidDataException, label);
    }
}
