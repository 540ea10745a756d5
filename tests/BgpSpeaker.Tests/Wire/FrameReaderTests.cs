using System.Buffers;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class FrameReaderTests
{
    private static readonly BgpCodecContext Standard = BgpCodecContext.Initial;
    private static readonly BgpCodecContext Extended = new(FourOctetAs: true, ExtendedMessage: true, IsExternal: true);

    [Fact]
    public void TryReadFrame_Keepalive_ReturnsFrameWithEmptyBody()
    {
        // Marker, Length 19 (0x0013), Type 4 (KEEPALIVE).
        var bytes = Hex.Bytes(Hex.Marker + "0013 04");

        var status = BgpFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), Standard, out var header, out var body, out var error);

        Assert.Equal(FrameStatus.Frame, status);
        Assert.Equal(new BgpHeader(19, BgpMessageType.Keepalive), header);
        Assert.Equal(0, body.Length);
        Assert.False(error.IsError);
    }

    [Fact]
    public void TryReadFrame_PartialHeader_NeedsMoreData()
    {
        var bytes = Hex.Bytes(Hex.Marker + "00");

        Assert.Equal(FrameStatus.NeedMoreData, BgpFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), Standard, out _, out _, out _));
    }

    [Fact]
    public void TryReadFrame_HeaderWithoutBody_NeedsMoreData()
    {
        // UPDATE of Length 23 of which only the header has arrived.
        var bytes = Hex.Bytes(Hex.Marker + "0017 02 00");

        Assert.Equal(FrameStatus.NeedMoreData, BgpFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), Standard, out _, out _, out _));
    }

    [Fact]
    public void TryReadFrame_BadLengthBeforeBodyArrives_ErrorsAtOnce()
    {
        // A hostile Length of 65535 on a session without extended messages: refused from the header alone.
        var bytes = Hex.Bytes(Hex.Marker + "ffff 02");

        var status = BgpFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), Standard, out _, out _, out var error);

        Assert.Equal(FrameStatus.Error, status);
        Assert.Equal(NotificationCode.MessageHeaderError, error.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.BadMessageLength, error.Subcode);
        Assert.Equal("FFFF", Hex.Of(error.GetData(default)));
    }

    [Fact]
    public void TryReadFrame_BodySplitOverSegments_ReturnsWholeBody()
    {
        var first = Hex.Bytes(Hex.Marker + "0017 02 00");
        var second = Hex.Bytes("00 00 00");
        var sequence = Segments.Join(first, second);

        var status = BgpFrameReader.TryReadFrame(sequence, Standard, out var header, out var body, out _);

        Assert.Equal(FrameStatus.Frame, status);
        Assert.Equal(23, header.Length);
        Assert.Equal("00000000", Hex.Of(body.ToArray()));
    }

    public static TheoryData<string, string, BgpCodecContext, byte, string> HeaderErrors => new()
    {
        // label, header hex (marker included), context, expected subcode, expected data
        { "marker with one zero bit", "fffffffffffffffffffffffffffffffe 0013 04", Standard, 1, "" },
        { "length 18 < 19", Hex.Marker + "0012 04", Standard, 2, "0012" },
        { "length 0", Hex.Marker + "0000 02", Standard, 2, "0000" },
        { "length 4097 > 4096", Hex.Marker + "1001 02", Standard, 2, "1001" },
        { "unknown type 6", Hex.Marker + "0013 06", Standard, 3, "06" },
        { "type 0", Hex.Marker + "0013 00", Standard, 3, "00" },
        { "KEEPALIVE of length 20", Hex.Marker + "0014 04", Standard, 2, "0014" },
        { "OPEN shorter than 29", Hex.Marker + "001c 01", Standard, 2, "001C" },
        { "UPDATE shorter than 23", Hex.Marker + "0016 02", Standard, 2, "0016" },
        { "NOTIFICATION shorter than 21", Hex.Marker + "0014 03", Standard, 2, "0014" },
        { "OPEN over 4096 even with extended messages", Hex.Marker + "1001 01", Extended, 2, "1001" },
        { "KEEPALIVE over 4096 with extended messages", Hex.Marker + "1001 04", Extended, 2, "1001" },
    };

    [Theory]
    [MemberData(nameof(HeaderErrors))]
    public void TryReadHeader_Invalid_MessageHeaderError(string label, string header, BgpCodecContext context, byte subcode, string data)
    {
        var status = BgpFrameReader.TryReadHeader(Hex.Bytes(header), context, out _, out var error);

        Assert.True(status == FrameStatus.Error, label);
        Assert.Equal(NotificationCode.MessageHeaderError, error.Code);
        Assert.Equal(subcode, error.Subcode);
        Assert.Equal(ErrorAction.SessionReset, error.Action);
        Assert.Equal(data.ToUpperInvariant(), Hex.Of(error.GetData(default)));
    }

    [Theory]
    [InlineData("1001 02")] // UPDATE of 4097
    [InlineData("ffff 02")] // UPDATE of 65535
    [InlineData("ffff 03")] // NOTIFICATION of 65535
    public void TryReadHeader_LongMessageWithExtendedMessages_Accepted(string lengthAndType)
    {
        Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadHeader(Hex.Bytes(Hex.Marker + lengthAndType), Extended, out _, out _));
    }

    [Fact]
    public void TryReadHeader_ShortRouteRefresh_FramedForTheRouteRefreshLengthCheck()
    {
        // RFC 7313 §5: the session answers it with ROUTE-REFRESH Message Error/Invalid Message Length, not a header error.
        Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadHeader(Hex.Bytes(Hex.Marker + "0016 05"), Standard, out var header, out _));
        Assert.Equal(3, header.BodyLength);
    }
}
