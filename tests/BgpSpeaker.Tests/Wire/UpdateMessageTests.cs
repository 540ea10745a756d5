using System.Net;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>UPDATE round trips with vectors worked out from RFC 4271 §4.3, RFC 4760, RFC 1997, RFC 8092, RFC 4456.</summary>
public class UpdateMessageTests
{
    private static readonly BgpCodecContext Ibgp4 = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: false);
    private static readonly BgpCodecContext Ebgp4 = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
    private static readonly BgpCodecContext Ebgp2 = new(FourOctetAs: false, ExtendedMessage: false, IsExternal: true);

    /// <summary>Every attribute we understand, IPv4, iBGP with 4-octet ASNs.</summary>
    private const string FullIpv4Update =
        Hex.Marker + "007f 02"        // Length 127, UPDATE
        + "0003" + "10 0a01"           // Withdrawn Routes Length 3: 10.1.0.0/16
        + "005c"                       // Total Path Attribute Length 92
        + "40 01 01 00"                // ORIGIN IGP
        + "40 02 0a 02 02 0000fde9 fa56ea01" // AS_PATH: AS_SEQUENCE of 2, 65001 4200000001
        + "40 03 04 ac120002"          // NEXT_HOP 172.18.0.2
        + "80 04 04 00000064"          // MULTI_EXIT_DISC 100 (optional non-transitive)
        + "40 05 04 000000c8"          // LOCAL_PREF 200
        + "40 06 00"                   // ATOMIC_AGGREGATE
        + "c0 07 08 0000fde9 0a000001" // AGGREGATOR 65001, 10.0.0.1 (4-octet AS form)
        + "c0 08 08 fde90001 ffffff01" // COMMUNITIES 65001:1, NO_EXPORT
        + "80 09 04 0a000002"          // ORIGINATOR_ID 10.0.0.2
        + "80 0a 04 0a000003"          // CLUSTER_LIST 10.0.0.3
        + "c0 20 0c fa56ea01 00000001 00000002" // LARGE_COMMUNITY 4200000001:1:2
        + "18 0af401"                  // NLRI 10.244.1.0/24
        + "19 0af40280";               // NLRI 10.244.2.128/25

    private static PathAttributes FullAttributes => new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001, 4200000001),
        NextHop = IPAddress.Parse("172.18.0.2"),
        MultiExitDisc = 100,
        LocalPref = 200,
        AtomicAggregate = true,
        Aggregator = new Aggregator(65001, 0x0a000001),
        Communities = [0xfde90001, 0xffffff01],
        OriginatorId = 0x0a000002,
        ClusterList = [0x0a000003],
        LargeCommunities = [new LargeCommunity(4200000001, 1, 2)],
    };

    [Fact]
    public void Write_EveryAttribute_MatchesHandVector()
    {
        var update = new UpdateMessage(
            withdrawnRoutes: [BgpPrefix.Parse("10.1.0.0/16")],
            attributes: FullAttributes,
            nlri: [BgpPrefix.Parse("10.244.1.0/24"), BgpPrefix.Parse("10.244.2.128/25")]);

        Assert.Equal(Hex.Of(Hex.Bytes(FullIpv4Update)), Hex.Of(update.ToArray(Ibgp4)));
    }

    [Fact]
    public void TryRead_EveryAttribute_DecodesEveryField()
    {
        var (update, error) = Decode(FullIpv4Update, Ibgp4);

        Assert.False(error.IsError, error.ToString());
        Assert.Equal([BgpPrefix.Parse("10.1.0.0/16")], update.WithdrawnRoutes.ToArray());
        Assert.Equal([BgpPrefix.Parse("10.244.1.0/24"), BgpPrefix.Parse("10.244.2.128/25")], update.Nlri.ToArray());
        Assert.Equal(FullAttributes, update.Attributes);
        Assert.Equal(FullAttributes.GetHashCode(), update.Attributes.GetHashCode());
    }

    /// <summary>IPv6 over MP_REACH_NLRI with global and link-local next hops (RFC 4760 §3, RFC 2545 §3).</summary>
    private const string Ipv6Update =
        Hex.Marker + "0053 02"   // Length 83
        + "0000"                  // no withdrawn routes
        + "003c"                  // Total Path Attribute Length 60
        + "40 01 01 00"           // ORIGIN IGP
        + "40 02 06 02 01 0000fde9" // AS_PATH 65001
        + "80 0e 2c"              // MP_REACH_NLRI, length 44
        + "0002 01"               // AFI 2, SAFI 1
        + "20"                    // next hop length 32
        + "20010db8000000000000000000000001" // 2001:db8::1
        + "fe800000000000000000000000000001" // fe80::1
        + "00"                    // reserved
        + "30 20010db80001";      // 2001:db8:1::/48

    [Fact]
    public void MpReach_Ipv6WithLinkLocal_RoundTrips()
    {
        var update = new UpdateMessage(
            attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001) },
            mpReach: new MpReachNlri(AfiSafi.Ipv6Unicast, IPAddress.Parse("2001:db8::1"), [BgpPrefix.Parse("2001:db8:1::/48")], IPAddress.Parse("fe80::1")));

        Assert.Equal(Hex.Of(Hex.Bytes(Ipv6Update)), Hex.Of(update.ToArray(Ebgp4)));
        var (decoded, error) = Decode(Ipv6Update, Ebgp4);
        Assert.False(error.IsError, error.ToString());
        Assert.Equal(IPAddress.Parse("2001:db8::1"), decoded.MpReach!.NextHop);
        Assert.Equal(IPAddress.Parse("fe80::1"), decoded.MpReach.LinkLocalNextHop);
        Assert.Equal([BgpPrefix.Parse("2001:db8:1::/48")], decoded.MpReach.Nlri.ToArray());
        Assert.False(decoded.IsEndOfRib(out _));
    }

    [Fact]
    public void MpReach_GlobalNextHopOnlyAndAsSet_RoundTrips()
    {
        var body = UpdateBytes.Body(
            UpdateBytes.OriginIgp
            + "40 02 10 02 01 0000fde9 01 02 0000fdea 0000fdeb" // AS_PATH (16 octets): AS_SEQUENCE 65001, AS_SET {65002 65003}
            + "80 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80001", // next hop length 16: global only
            nlri: "");

        var (decoded, error) = DecodeBody(body, Ebgp4);

        Assert.False(error.IsError, error.ToString());
        Assert.Null(decoded.MpReach!.LinkLocalNextHop);
        Assert.Equal("65001 {65002 65003}", decoded.Attributes.AsPath!.ToString());
        Assert.Equal(2, decoded.Attributes.AsPath.PathLength);
        Assert.Equal(Hex.Of(body), Hex.Of(decoded.ToArray(Ebgp4).AsSpan(BgpHeader.Size)));
    }

    [Fact]
    public void MpReach_Ipv4Family_RoundTrips()
    {
        // AFI 1 SAFI 1 in MP_REACH_NLRI with a 4-octet next hop (RFC 4760 allows IPv4 unicast there too).
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + "80 0e 0d 0001 01 04 0a000001 00 18 0af401", nlri: "");

        var (decoded, error) = DecodeBody(body, Ebgp4);

        Assert.False(error.IsError, error.ToString());
        Assert.Equal(AfiSafi.Ipv4Unicast, decoded.MpReach!.Family);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), decoded.MpReach.NextHop);
        Assert.Equal(Hex.Of(body), Hex.Of(decoded.ToArray(Ebgp4).AsSpan(BgpHeader.Size)));
    }

    [Fact]
    public void MpUnreach_Ipv6_RoundTrips()
    {
        // MP_UNREACH_NLRI (0x80, 15), length 12: AFI 2, SAFI 1, 2001:db8:0:1::/64.
        const string expected = Hex.Marker + "0026 02 0000 000f 80 0f 0c 0002 01 40 20010db800000001";
        var update = new UpdateMessage(mpUnreach: new MpUnreachNlri(AfiSafi.Ipv6Unicast, [BgpPrefix.Parse("2001:db8:0:1::/64")]));

        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(update.ToArray(Ebgp4)));
        var (decoded, _) = Decode(expected, Ebgp4);
        Assert.Equal([BgpPrefix.Parse("2001:db8:0:1::/64")], decoded.MpUnreach!.Withdrawn.ToArray());
        Assert.False(decoded.IsEndOfRib(out _));
    }

    [Theory]
    [InlineData("0017 02 0000 0000", 1)]                   // IPv4: the empty UPDATE (RFC 4724 §2)
    [InlineData("001d 02 0000 0006 80 0f 03 0002 01", 2)] // IPv6: MP_UNREACH_NLRI with no prefixes
    public void EndOfRib_RoundTrips(string lengthTypeAndBody, ushort afi)
    {
        var family = new AfiSafi((Afi)afi, Safi.Unicast);

        Assert.Equal(Hex.Of(Hex.Bytes(Hex.Marker + lengthTypeAndBody)), Hex.Of(UpdateMessage.EndOfRib(family).ToArray(Ebgp4)));
        var (decoded, _) = Decode(Hex.Marker + lengthTypeAndBody, Ebgp4);
        Assert.True(decoded.IsEndOfRib(out var decodedFamily));
        Assert.Equal(family, decodedFamily);
    }

    [Fact]
    public void EndOfRib_UpdateWithOnlyIgnoredAttribute_IsNoMarker()
    {
        // An unknown optional non-transitive attribute is dropped, but the UPDATE was not empty on the wire.
        var (decoded, _) = DecodeBody(UpdateBytes.Body("80 63 01 00", nlri: ""), Ebgp4);

        Assert.False(decoded.IsEndOfRib(out _));
    }

    [Fact]
    public void UnknownOptionalTransitive_PassedOnWithPartialBit()
    {
        // Attribute 99 flags 0xc0 (optional transitive), then attribute 200 with Extended Length (0xd0) on a 2-octet value.
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop + "c0 63 02 abcd" + "d0 c8 0002 1234");

        var (decoded, error) = DecodeBody(body, Ebgp4);

        Assert.False(error.IsError);
        Assert.Equal(
            [new RawPathAttribute(PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial, 99, [0xab, 0xcd]),
             new RawPathAttribute(PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial, 200, [0x12, 0x34])],
            decoded.Attributes.Unknown.ToArray());
        // Sent on with Partial (0xe0) and the short length form.
        var again = Hex.Of(decoded.ToArray(Ebgp4));
        Assert.Contains("E06302ABCD", again, StringComparison.Ordinal);
        Assert.Contains("E0C8021234", again, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOptionalNonTransitive_Dropped()
    {
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop + "80 63 02 abcd");

        var (decoded, error) = DecodeBody(body, Ebgp4);

        Assert.False(error.IsError);
        Assert.Empty(decoded.Attributes.Unknown);
    }

    [Fact]
    public void ExtendedLengthOnShortKnownAttribute_Accepted()
    {
        // RFC 7606 §3 e... receivers accept Extended Length on any attribute: COMMUNITIES 0xd0, length 0x0004.
        var body = UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath4 + UpdateBytes.NextHop + "d0 08 0004 fde90001");

        var (decoded, error) = DecodeBody(body, Ebgp4);

        Assert.False(error.IsError);
        Assert.Equal([0xfde90001u], decoded.Attributes.Communities.ToArray());
    }

    [Fact]
    public void LongAttribute_WrittenWithExtendedLength()
    {
        // 70 communities = 280 octets: flags 0xd0 and a 2-octet length 0x0118.
        var update = new UpdateMessage(
            attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse("10.0.0.1"), Communities = [.. Enumerable.Range(1, 70).Select(i => (uint)i)] },
            nlri: [BgpPrefix.Parse("10.0.0.0/8")]);

        var bytes = update.ToArray(Ebgp4);

        Assert.Contains("D0080118", Hex.Of(bytes), StringComparison.Ordinal);
        Assert.Equal(70, DecodeBody(bytes.AsSpan(BgpHeader.Size).ToArray(), Ebgp4).Update.Attributes.Communities.Length);
    }

    [Fact]
    public void Write_TwoOctetSessionWithFourOctetAsns_AddsAs4PathAndAs4Aggregator()
    {
        var update = new UpdateMessage(
            attributes: new PathAttributes
            {
                Origin = Origin.Igp,
                AsPath = AsPath.FromSequence(65001, 4200000001),
                NextHop = IPAddress.Parse("172.18.0.2"),
                Aggregator = new Aggregator(4200000001, 0x0a000001),
            },
            nlri: [BgpPrefix.Parse("10.244.1.0/24")]);

        var expected = UpdateBytes.Body(
            "40 01 01 00"
            + "40 02 06 02 02 fde9 5ba0"           // AS_PATH with AS_TRANS (23456) for 4200000001
            + "40 03 04 ac120002"
            + "c0 07 06 5ba0 0a000001"             // AGGREGATOR AS_TRANS, 10.0.0.1
            + "c0 11 0a 02 02 0000fde9 fa56ea01"   // AS4_PATH with the real ASNs (RFC 6793 §4.2.2)
            + "c0 12 08 fa56ea01 0a000001");       // AS4_AGGREGATOR 4200000001, 10.0.0.1

        Assert.Equal(Hex.Of(expected), Hex.Of(update.ToArray(Ebgp2).AsSpan(BgpHeader.Size)));
        var (decoded, error) = DecodeBody(expected, Ebgp2);
        Assert.False(error.IsError, error.ToString());
        Assert.Equal(update.Attributes, decoded.Attributes);
    }

    [Fact]
    public void Write_TwoOctetSessionWithTwoOctetAsns_NoAs4Path()
    {
        var update = new UpdateMessage(
            attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.FromSequence(65001), NextHop = IPAddress.Parse("172.18.0.2") },
            nlri: [BgpPrefix.Parse("10.244.1.0/24")]);

        Assert.Equal(Hex.Of(UpdateBytes.Body(UpdateBytes.OriginIgp + UpdateBytes.AsPath2 + UpdateBytes.NextHop)), Hex.Of(update.ToArray(Ebgp2).AsSpan(BgpHeader.Size)));
    }

    [Fact]
    public void EncodeDecode_ExtendedMessageSession_AllowsLargeUpdate()
    {
        var ctx = Ebgp4 with { ExtendedMessage = true };
        var prefixes = Enumerable.Range(0, 2000).Select(i => BgpPrefix.FromIpv4(0x0a000000u + ((uint)i << 8), 24)).ToArray();
        var update = new UpdateMessage(attributes: new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, NextHop = IPAddress.Parse("10.0.0.1") }, nlri: [.. prefixes]);

        var bytes = update.ToArray(ctx);

        Assert.True(bytes.Length > BgpCodecContext.StandardMaxMessageLength);
        Assert.Throws<InvalidOperationException>(() => update.ToArray(Ebgp4));
        Assert.Equal(prefixes, DecodeBody(bytes.AsSpan(BgpHeader.Size).ToArray(), ctx).Update.Nlri);
    }

    internal static (UpdateMessage Update, BgpError Error) Decode(string hex, BgpCodecContext context)
    {
        var bytes = Hex.Bytes(hex);
        Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadFrame(bytes, context, out var header, out _));
        Assert.Equal(bytes.Length, header.Length);
        return DecodeBody(bytes.AsSpan(BgpHeader.Size).ToArray(), context);
    }

    internal static (UpdateMessage Update, BgpError Error) DecodeBody(byte[] body, BgpCodecContext context)
    {
        Assert.True(UpdateMessage.TryRead(body, context, out var update, out var error), error.ToString());
        return (update!, error);
    }
}
