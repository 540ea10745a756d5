using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Wire;

public sealed class AcknowledgementTests
{
    private static Errno Read(string hex, out string? text)
    {
        string? kernel = null;
        var errno = Errno.None;
        foreach (var message in new MessageReader(Hex.Bytes(hex)))
        {
            errno = Acknowledgement.Read(message, out kernel);
        }
        text = kernel;
        return errno;
    }

    [Fact]
    public void Read_Ack_None()
    {
        Assert.Equal(Errno.None, Read("24000000 0200 0001 05000000 2a000000 00000000 2c000000 1800 0506 05000000 00000000", out var text));
        Assert.Null(text);
    }

    [Fact]
    public void Read_CappedErrorWithExtAck_ErrnoAndKernelText()
    {
        // NLM_F_CAPPED|NLM_F_ACK_TLVS, error -17, the echoed header, then NLMSGERR_ATTR_MSG "Nope".
        Assert.Equal(Errno.EEXIST, Read("30000000 0200 0003 05000000 2a000000 efffffff 2c000000 1800 0506 05000000 00000000 0900 0100 4e6f706500 000000", out var text));
        Assert.Equal("Nope", text);
    }

    [Fact]
    public void Read_UncappedErrorWithExtAck_SkipsEchoedRequest()
    {
        // Without NETLINK_CAP_ACK the whole 20-byte request is echoed before the TLVs.
        Assert.Equal(Errno.ENODEV, Read("30000000 0200 0002 05000000 2a000000 edffffff 14000000 1200 0100 05000000 00000000 00000000 0800 0100 6f6b0000", out var text));
        Assert.Equal("ok", text);
    }
}
