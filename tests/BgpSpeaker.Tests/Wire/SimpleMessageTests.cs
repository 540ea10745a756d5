using System.Text;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>KEEPALIVE, NOTIFICATION and ROUTE-REFRESH: small messages, exact bytes both ways.</summary>
public class SimpleMessageTests
{
    private static readonly BgpCodecContext Context = BgpCodecContext.Initial;

    [Fact]
    public void Keepalive_Write_IsHeaderOnly()
    {
        Assert.Equal(Hex.Of(Hex.Bytes(Hex.Marker + "0013 04")), Hex.Of(KeepaliveMessage.Instance.ToArray(Context)));
    }

    [Fact]
    public void Notification_HoldTimerExpired_RoundTrips()
    {
        // Length 21, type 3; code 4 (Hold Timer Expired), subcode 0, no data.
        var expected = Hex.Marker + "0015 03 04 00";

        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(NotificationMessage.HoldTimerExpired().ToArray(Context)));
        var decoded = Assert.IsType<NotificationMessage>(Decode(expected));
        Assert.Equal(NotificationCode.HoldTimerExpired, decoded.Code);
        Assert.Empty(decoded.Data);
    }

    [Fact]
    public void Notification_AdministrativeShutdown_CarriesCommunication()
    {
        // Cease (6) / Administrative Shutdown (2); data: length 11, "maintenance" in UTF-8 (RFC 8203 §2).
        var expected = Hex.Marker + "0021 03 06 02 0b" + Hex.Of(Encoding.UTF8.GetBytes("maintenance"));

        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(NotificationMessage.AdministrativeShutdown("maintenance").ToArray(Context)));
        var decoded = Assert.IsType<NotificationMessage>(Decode(expected));
        Assert.True(decoded.TryGetShutdownCommunication(out var text));
        Assert.Equal("maintenance", text);
        Assert.Equal("Cease/Administrative Shutdown \"maintenance\"", decoded.ToString());
    }

    [Fact]
    public void Notification_ShutdownCommunicationLengthWrong_NotTrusted()
    {
        // Length octet says 5 but 3 octets follow.
        var decoded = Assert.IsType<NotificationMessage>(Decode(Hex.Marker + "0019 03 06 02 05 616263"));

        Assert.False(decoded.TryGetShutdownCommunication(out _));
    }

    [Fact]
    public void Notification_MaximumPrefixes_CarriesAfiSafiAndLimit()
    {
        // Cease (6) / 1; data AFI 1, SAFI 1, limit 1000 (RFC 4486 §4).
        Assert.Equal(
            Hex.Of(Hex.Bytes(Hex.Marker + "001c 03 06 01 0001 01 000003e8")),
            Hex.Of(NotificationMessage.MaximumPrefixesReached(AfiSafi.Ipv4Unicast, 1000).ToArray(Context)));
    }

    [Fact]
    public void Notification_FromHeaderError_CarriesLengthField()
    {
        BgpFrameReader.TryReadHeader(Hex.Bytes(Hex.Marker + "0012 04"), Context, out _, out var error);

        // 1/2 with the erroneous length 18 as data.
        Assert.Equal(Hex.Of(Hex.Bytes(Hex.Marker + "0017 03 01 02 0012")), Hex.Of(NotificationMessage.FromError(error, default).ToArray(Context)));
    }

    [Fact]
    public void RouteRefresh_Ipv6_RoundTrips()
    {
        // Length 23, type 5; AFI 2, subtype 0, SAFI 1.
        var expected = Hex.Marker + "0017 05 0002 00 01";

        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(new RouteRefreshMessage(AfiSafi.Ipv6Unicast).ToArray(Context)));
        var decoded = Assert.IsType<RouteRefreshMessage>(Decode(expected));
        Assert.Equal(AfiSafi.Ipv6Unicast, decoded.Family);
        Assert.Equal(RouteRefreshSubtype.Normal, decoded.Subtype);
    }

    [Fact]
    public void RouteRefresh_LongerBody_InvalidMessageLengthWithWholeMessage()
    {
        var bytes = Hex.Bytes(Hex.Marker + "0018 05 0001 01 01 00");
        BgpFrameReader.TryReadFrame(bytes, Context, out var header, out _);
        var body = bytes.AsSpan(BgpHeader.Size);

        Assert.False(BgpMessageReader.TryRead(header, body, Context, out _, out var error));

        Assert.Equal(NotificationCode.RouteRefreshMessageError, error.Code);
        Assert.Equal((byte)RouteRefreshMessageErrorSubcode.InvalidMessageLength, error.Subcode);
        // RFC 7313 §5: the data is the complete message, header included.
        Assert.Equal(Hex.Of(bytes), Hex.Of(NotificationMessage.FromError(error, body, header).Data.AsSpan()));
    }

    private static BgpMessage Decode(string hex)
    {
        var bytes = Hex.Bytes(hex);
        Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadFrame(bytes, Context, out var header, out _));
        Assert.True(BgpMessageReader.TryRead(header, bytes.AsSpan(BgpHeader.Size, header.BodyLength), Context, out var message, out var error), error.ToString());
        return message;
    }
}
