using System.Buffers;
using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>
/// ADD-PATH (RFC 7911): the capability (§4) and the NLRI encoding with a 4-octet Path Identifier
/// before each prefix (§3), as golden bytes worked out from the RFC layout, and the negotiation
/// rule of §5 (we send identifiers only where we offered Send and the peer Receive).
/// </summary>
public class AddPathTests
{
    private static readonly PathAttributes Attributes = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001),
        NextHop = IPAddress.Parse("172.18.0.2"),
    };

    private static readonly BgpCodecContext Sending = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true) { AddPathIpv4 = AddPathMode.Send, AddPathIpv6 = AddPathMode.Send };

    private static readonly BgpCodecContext Receiving = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true) { AddPathIpv4 = AddPathMode.Receive, AddPathIpv6 = AddPathMode.Receive };

    [Fact]
    public void Open_AddPathCapability_MatchesHandVectorAndReadsBack()
    {
        var capabilities = new BgpCapabilities
        {
            FourOctetAs = 65001,
            AddPath = [new(AfiSafi.Ipv4Unicast, AddPathMode.Send), new(AfiSafi.Ipv6Unicast, AddPathMode.Both)],
        };

        var bytes = OpenMessage.Create(65001, 90, 0x0a000001, capabilities).ToArray(BgpCodecContext.Initial);

        var expected = Hex.Marker + "002f 01" + "04 fde9 005a 0a000001"
            + "12"                       // Opt Parm Len 18
            + "02 10"                    // Capabilities, 16 octets
            + "41 04 0000fde9"           // 4-octet AS 65001
            + "45 08"                    // ADD-PATH (69), two entries of 4 octets
            + "0001 01 02"               // AFI 1, SAFI 1, Send
            + "0002 01 03";              // AFI 2, SAFI 1, Send and Receive
        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(bytes));
        Assert.True(OpenMessage.TryRead(bytes.AsSpan(BgpHeader.Size), out var open, out var error), error.ToString());
        Assert.Equal(capabilities, open!.Capabilities);
    }

    [Fact]
    public void Open_AddPathWithUnknownSendReceiveValue_IgnoresTheCapability()
    {
        // RFC 7911 §4: a Send/Receive other than 1-3 makes the capability one not understood.
        var body = Hex.Bytes("04 fde9 005a 0a000001 08 02 06 45 04 0001 01 04");

        Assert.True(OpenMessage.TryRead(body, out var open, out var error), error.ToString());
        Assert.Empty(open!.Capabilities.AddPath);
        Assert.Equal(AddPathMode.None, new BgpCapabilities { AddPath = [new(AfiSafi.Ipv4Unicast, AddPathMode.Both)] }.NegotiatedAddPath(open.Capabilities, AfiSafi.Ipv4Unicast));
    }

    [Fact]
    public void Open_AddPathOfPartialEntry_IsMalformed()
    {
        var body = Hex.Bytes("04 fde9 005a 0a000001 07 02 05 45 03 0001 01");

        Assert.False(OpenMessage.TryRead(body, out _, out var error));
        Assert.Equal(NotificationCode.OpenMessageError, error.Code);
    }

    [Theory]
    [InlineData(AddPathMode.Send, AddPathMode.Receive, AddPathMode.Send)]
    [InlineData(AddPathMode.Send, AddPathMode.Send, AddPathMode.None)]
    [InlineData(AddPathMode.Receive, AddPathMode.Send, AddPathMode.Receive)]
    [InlineData(AddPathMode.Both, AddPathMode.Both, AddPathMode.Both)]
    [InlineData(AddPathMode.Both, AddPathMode.None, AddPathMode.None)]
    [InlineData(AddPathMode.None, AddPathMode.Both, AddPathMode.None)]
    public void NegotiatedAddPath_FollowsRfc7911Section5(AddPathMode ours, AddPathMode theirs, AddPathMode expected)
    {
        static BgpCapabilities With(AddPathMode mode) =>
            new() { AddPath = mode == AddPathMode.None ? [] : [new(AfiSafi.Ipv4Unicast, mode)] };

        Assert.Equal(expected, With(ours).NegotiatedAddPath(With(theirs), AfiSafi.Ipv4Unicast));
        Assert.Equal(AddPathMode.None, With(ours).NegotiatedAddPath(With(theirs), AfiSafi.Ipv6Unicast));
    }

    [Fact]
    public void WriteAnnouncements_Ipv4WithPathIds_PutsEachIdentifierBeforeItsPrefix()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var prefix = BgpPrefix.Parse("10.96.0.10/32");

        UpdatePacker.WriteAnnouncements(buffer, Sending, Attributes, [prefix, prefix], pathIds: [2, 3]);

        var body = UpdateBytes.Body(
            UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop,
            nlri: "00000002 20 0a60000a" + "00000003 20 0a60000a"); // Path Identifier, length 32, 10.96.0.10; twice
        Assert.Equal(Hex.Of(Frame(body)), Hex.Of(buffer.WrittenSpan));
        Assert.True(UpdateMessage.TryRead(body, Receiving, out var update, out var error), error.ToString());
        Assert.Equal([prefix, prefix], update!.Nlri.ToArray());
        Assert.Equal([2u, 3u], update.NlriPathIds.ToArray());
    }

    [Fact]
    public void WriteWithdrawals_Ipv4WithPathIds_WithdrawsOnePathOfThePrefix()
    {
        var buffer = new ArrayBufferWriter<byte>();

        UpdatePacker.WriteWithdrawals(buffer, Sending, [BgpPrefix.Parse("10.96.0.0/12")], [7]);

        var body = UpdateBytes.Body("", nlri: "", withdrawn: "00000007 0c 0a60");
        Assert.Equal(Hex.Of(Frame(body)), Hex.Of(buffer.WrittenSpan));
        Assert.True(UpdateMessage.TryRead(body, Receiving, out var update, out _));
        Assert.Equal([7u], update!.WithdrawnPathIds.ToArray());
    }

    [Fact]
    public void WriteAnnouncements_Ipv6WithPathIds_CarriesThemInMpReach()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001) };

        UpdatePacker.WriteAnnouncements(buffer, Sending, attributes, [BgpPrefix.Parse("2001:db8:96::/112")], IPAddress.Parse("2001:db8::2"), pathIds: [5]);

        var mpReach = "80 0e 28"                          // optional, MP_REACH_NLRI (14), 40 octets
            + "0002 01 10 20010db8000000000000000000000002 00" // AFI 2, SAFI 1, next hop length 16, next hop, reserved
            + "00000005 70 20010db800960000000000000000";      // Path Identifier 5, length 112, 14 octets
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + mpReach, nlri: "");
        Assert.Equal(Hex.Of(Frame(body)), Hex.Of(buffer.WrittenSpan));
        Assert.True(UpdateMessage.TryRead(body, Receiving, out var update, out var error), error.ToString());
        Assert.Equal([5u], update!.MpReach!.PathIds.ToArray());
    }

    [Fact]
    public void WriteWithdrawals_Ipv6WithPathIds_CarriesThemInMpUnreach()
    {
        var buffer = new ArrayBufferWriter<byte>();

        UpdatePacker.WriteWithdrawals(buffer, Sending, [BgpPrefix.Parse("2001:db8:96::/112")], [5]);

        var mpUnreach = "80 0f 16 0002 01" + "00000005 70 20010db800960000000000000000"; // MP_UNREACH_NLRI (15), 22 octets
        Assert.Equal(Hex.Of(Frame(UpdateBytes.Body(mpUnreach, nlri: ""))), Hex.Of(buffer.WrittenSpan));
    }

    [Fact]
    public void WriteAnnouncements_PathIdsAgainstTheNegotiation_Throws()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var prefix = BgpPrefix.Parse("10.96.0.10/32");

        Assert.Throws<ArgumentException>(() => UpdatePacker.WriteAnnouncements(buffer, Sending, Attributes, [prefix]));
        Assert.Throws<ArgumentException>(() => UpdatePacker.WriteAnnouncements(buffer, Receiving, Attributes, [prefix], pathIds: [1]));
    }

    [Fact]
    public void WriteAnnouncements_ManyPathIds_PacksEveryMessageWithinTheLimit()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var prefixes = Enumerable.Range(0, 3000).Select(i => BgpPrefix.FromIpv4(0x0a600000u + (uint)i, 32)).ToArray();
        var ids = Enumerable.Range(0, 3000).Select(i => (uint)i + 2).ToArray();

        var messages = UpdatePacker.WriteAnnouncements(buffer, Sending, Attributes, prefixes, pathIds: ids);

        var read = new List<(BgpPrefix, uint)>();
        var rest = buffer.WrittenMemory;
        for (var i = 0; i < messages; i++)
        {
            Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadFrame(rest.Span, Receiving, out var header, out _));
            Assert.True(header.Length <= BgpCodecContext.StandardMaxMessageLength);
            Assert.True(UpdateMessage.TryRead(rest.Span.Slice(BgpHeader.Size, header.BodyLength), Receiving, out var update, out _));
            read.AddRange(update!.Nlri.Zip(update.NlriPathIds));
            rest = rest[header.Length..];
        }
        Assert.True(rest.IsEmpty);
        Assert.Equal(prefixes.Zip(ids), read);
    }

    [Fact]
    public void TryRead_PathIdWithoutItsPrefix_ResetsTheSession()
    {
        // An identifier and nothing after it: the NLRI field cannot be parsed (RFC 7606 §5.3).
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop, nlri: "00000002");

        Assert.False(UpdateMessage.TryRead(body, Receiving, out _, out var error));
        Assert.Equal(NotificationCode.UpdateMessageError, error.Code);
    }

    private static byte[] Frame(byte[] body)
    {
        var frame = new byte[BgpHeader.Size + body.Length];
        BgpHeader.Write(frame, frame.Length, BgpMessageType.Update);
        body.CopyTo(frame, BgpHeader.Size);
        return frame;
    }
}
