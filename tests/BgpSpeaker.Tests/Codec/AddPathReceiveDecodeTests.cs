using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Tests.Wire;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Codec;

/// <summary>
/// ADD-PATH receive (RFC 7911 §3): an UPDATE whose prefixes each follow a 4-octet Path Identifier,
/// in the classic fields (IPv4) and in MP_REACH/MP_UNREACH (IPv6), as golden bytes from the RFC's
/// layout, decoded into RIB terms with every identifier kept beside its prefix.
/// </summary>
public class AddPathReceiveDecodeTests
{
    private static readonly BgpPrefix Vip = BgpPrefix.Parse("198.51.100.10/32");
    private static readonly BgpPrefix OtherVip = BgpPrefix.Parse("198.51.100.11/32");
    private static readonly BgpPrefix V6 = BgpPrefix.Parse("2001:db8:1::/64");
    private static readonly BgpPrefix V6Gone = BgpPrefix.Parse("2001:db8:2::/64");

    private static readonly BgpCodecContext Both = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true) { AddPathIpv4 = AddPathMode.Receive, AddPathIpv6 = AddPathMode.Receive };

    [Fact]
    public void Decode_Ipv4WithPathIds_KeepsEachIdentifierWithItsPrefix()
    {
        var body = UpdateBytes.Body(
            UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop,
            nlri: "00000007 20 c633640a"        // Path Identifier 7, /32, 198.51.100.10
                + "00000008 20 c633640a",       // the same prefix under identifier 8
            withdrawn: "00000001 20 c633640b"); // identifier 1 of 198.51.100.11/32

        var update = UpdateCodec.Decode(body, Both);

        Assert.Null(update.Reset);
        Assert.Equal([OtherVip], update.Withdrawn);
        Assert.Equal([1u], update.WithdrawnPathIds);
        var (attributes, prefixes, pathIds) = Assert.Single(update.Announced);
        Assert.Equal("172.18.0.2", attributes.NextHop!.ToString());
        Assert.Equal([Vip, Vip], prefixes);
        Assert.Equal([7u, 8u], pathIds.ToArray());
    }

    [Fact]
    public void Decode_Ipv6WithPathIds_ReadsThemInMpReachAndMpUnreach()
    {
        var mpReach = "80 0e 22"                         // optional, MP_REACH_NLRI, 34 octets
            + "0002 01 10 20010db8000000000000000000000002 00" // IPv6 unicast, next hop 2001:db8::2, reserved
            + "00000003 40 20010db800010000";           // identifier 3, 2001:db8:1::/64
        var mpUnreach = "80 0f 10"                       // optional, MP_UNREACH_NLRI, 16 octets
            + "0002 01 00000004 40 20010db800020000";   // identifier 4, 2001:db8:2::/64
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + mpReach + mpUnreach, nlri: "");

        var update = UpdateCodec.Decode(body, Both);

        Assert.Null(update.Reset);
        Assert.Equal([V6Gone], update.Withdrawn);
        Assert.Equal([4u], update.WithdrawnPathIds);
        var (attributes, prefixes, pathIds) = Assert.Single(update.Announced);
        Assert.Equal("2001:db8::2", attributes.NextHop!.ToString());
        Assert.Equal([V6], prefixes);
        Assert.Equal([3u], pathIds.ToArray());
    }

    [Fact]
    public void Decode_IdentifiersInOneFamilyOnly_KeepsTheWithdrawnListsAligned()
    {
        // Receive negotiated for IPv6 only: the IPv4 withdrawal has no identifier, the IPv6 one has.
        var v6Only = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true) { AddPathIpv6 = AddPathMode.Receive };
        var body = UpdateBytes.Body("80 0f 10 0002 01 00000004 40 20010db800020000", nlri: "", withdrawn: "20 c633640b");

        var update = UpdateCodec.Decode(body, v6Only);

        Assert.Null(update.Reset);
        Assert.Equal([OtherVip, V6Gone], update.Withdrawn);
        Assert.Equal(2, update.WithdrawnPathIds.Count);
        Assert.Equal(4u, update.WithdrawnPathIds[1]);
    }

    [Fact]
    public void Decode_WithoutAddPath_HasNoIdentifiers()
    {
        var plain = new BgpCodecContext(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop, nlri: "20 c633640a", withdrawn: "20 c633640b");

        var update = UpdateCodec.Decode(body, plain);

        Assert.Empty(update.WithdrawnPathIds);
        Assert.True(Assert.Single(update.Announced).PathIds.IsEmpty);
    }

    [Theory]
    // A Path Identifier cut short in the NLRI field, or in Withdrawn Routes: neither list can be
    // parsed, so the session is reset with UPDATE Message Error / Invalid Network Field (RFC 7606 §5.3).
    [InlineData("000000", "")]
    [InlineData("20 c633640a", "00000001")]
    public void Decode_TruncatedPathId_ResetsTheSession(string nlri, string withdrawn)
    {
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop, nlri: nlri, withdrawn: withdrawn);

        var update = UpdateCodec.Decode(body, Both);

        Assert.NotNull(update.Reset);
        Assert.Equal(NotificationCode.UpdateMessageError, update.Reset.Code);
        Assert.Equal((byte)UpdateMessageErrorSubcode.InvalidNetworkField, update.Reset.Subcode);
    }

    [Fact]
    public void Decode_MpReachWithTruncatedPathId_ResetsTheSession()
    {
        // RFC 4760 §7 / RFC 7606 §7.11: MP_REACH_NLRI whose NLRI cannot be parsed resets the session.
        var mpReach = "80 0e 18 0002 01 10 20010db8000000000000000000000002 00 000000";
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + mpReach, nlri: "");

        var update = UpdateCodec.Decode(body, Both);

        Assert.NotNull(update.Reset);
        Assert.Equal(NotificationCode.UpdateMessageError, update.Reset.Code);
        Assert.Equal((byte)UpdateMessageErrorSubcode.OptionalAttributeError, update.Reset.Subcode);
    }
}
