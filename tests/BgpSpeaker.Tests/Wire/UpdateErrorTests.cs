using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Wire.UpdateBytes;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>
/// Malformed UPDATEs, one named case each: which NOTIFICATION RFC 4271 §6.3 names and which action
/// RFC 7606 (and RFC 6793, 7607, 8092) takes instead. The FRR RFC 7606 case table in
/// shared/lab-notes/bgp.md §c.2 is the checklist.
/// </summary>
public class UpdateErrorTests
{
    private const string Base4 = OriginIgp + AsPath4 + NextHop;

    public static TheoryData<string, string, string, string, byte, ErrorAction> Cases => new()
    {
        // label, session (e=eBGP/i=iBGP, 4 or 2 octet AS), attributes hex, NLRI hex, UPDATE subcode, action
        // Treat-as-withdraw (RFC 7606 §7.1–7.10, §3 d)
        { "ORIGIN value 3", "e4", "40 01 01 03" + AsPath4 + NextHop, Nlri, 6, ErrorAction.TreatAsWithdraw },
        { "ORIGIN value 255", "e4", "40 01 01 ff" + AsPath4 + NextHop, Nlri, 6, ErrorAction.TreatAsWithdraw },
        { "ORIGIN length 0", "e4", "40 01 00" + AsPath4 + NextHop, Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "ORIGIN length 2", "e4", "40 01 02 0000" + AsPath4 + NextHop, Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "ORIGIN optional flag", "e4", "c0 01 01 00" + AsPath4 + NextHop, Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "ORIGIN partial flag", "e4", "60 01 01 00" + AsPath4 + NextHop, Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "AS_PATH optional flag", "e4", OriginIgp + "c0 02 06 02 01 0000fde9" + NextHop, Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "AS_PATH segment type 0", "e4", OriginIgp + "40 02 06 00 01 0000fde9" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH segment type 5", "e4", OriginIgp + "40 02 06 05 01 0000fde9" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH zero-length segment", "e4", OriginIgp + "40 02 02 02 00" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH segment overruns attribute", "e4", OriginIgp + "40 02 06 02 02 0000fde9" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH segment header cut", "e4", OriginIgp + "40 02 07 02 01 0000fde9 02" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH 2-octet data on a 4-octet session", "e4", OriginIgp + "40 02 04 02 01 fde9" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH containing AS 0 (RFC 7607)", "e4", OriginIgp + "40 02 06 02 01 00000000" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "AS_PATH confederation segment from eBGP", "e4", OriginIgp + "40 02 06 03 01 0000fde9" + NextHop, Nlri, 11, ErrorAction.TreatAsWithdraw },
        { "NEXT_HOP 0.0.0.0", "e4", OriginIgp + AsPath4 + "40 03 04 00000000", Nlri, 8, ErrorAction.TreatAsWithdraw },
        { "NEXT_HOP loopback", "e4", OriginIgp + AsPath4 + "40 03 04 7f000001", Nlri, 8, ErrorAction.TreatAsWithdraw },
        { "NEXT_HOP multicast", "e4", OriginIgp + AsPath4 + "40 03 04 e0000001", Nlri, 8, ErrorAction.TreatAsWithdraw },
        { "NEXT_HOP broadcast", "e4", OriginIgp + AsPath4 + "40 03 04 ffffffff", Nlri, 8, ErrorAction.TreatAsWithdraw },
        { "NEXT_HOP length 5", "e4", OriginIgp + AsPath4 + "40 03 05 ac12000200", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "MED length 3", "e4", Base4 + "80 04 03 000064", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "MED length 5", "e4", Base4 + "80 04 05 0000000064", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "MED transitive flag", "e4", Base4 + "c0 04 04 00000064", Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "LOCAL_PREF length 3 from iBGP", "i4", Base4 + "40 05 03 000064", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "LOCAL_PREF optional flag from iBGP", "i4", Base4 + "c0 05 04 00000064", Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "COMMUNITIES length 0", "e4", Base4 + "c0 08 00", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "COMMUNITIES length 5", "e4", Base4 + "c0 08 05 fde9000100", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "COMMUNITIES non-transitive", "e4", Base4 + "80 08 04 fde90001", Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "LARGE_COMMUNITY length 13", "e4", Base4 + "c0 20 0d 0000fde9 00000001 00000002 00", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "LARGE_COMMUNITY length 0", "e4", Base4 + "c0 20 00", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "LARGE_COMMUNITY non-transitive", "e4", Base4 + "80 20 0c 0000fde9 00000001 00000002", Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "ORIGINATOR_ID length 5 from iBGP", "i4", Base4 + LocalPref + "80 09 05 0a00000200", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "ORIGINATOR_ID transitive flag from iBGP", "i4", Base4 + LocalPref + "c0 09 04 0a000002", Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "CLUSTER_LIST length 6 from iBGP", "i4", Base4 + LocalPref + "80 0a 06 0a0000030000", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "CLUSTER_LIST transitive flag from iBGP", "i4", Base4 + LocalPref + "c0 0a 04 0a000003", Nlri, 4, ErrorAction.TreatAsWithdraw },
        { "attribute length overruns the attribute field", "e4", Base4 + "c0 08 08 fde90001", Nlri, 5, ErrorAction.TreatAsWithdraw },
        { "two octets left for an attribute header", "e4", Base4 + "c0 08", Nlri, 1, ErrorAction.TreatAsWithdraw },
        // Attribute discard (RFC 7606 §7.6, §7.7, §7.9, §7.10, §3 g; RFC 6793 §6; RFC 7607)
        { "ATOMIC_AGGREGATE length 1", "e4", Base4 + "40 06 01 00", Nlri, 5, ErrorAction.AttributeDiscard },
        { "ATOMIC_AGGREGATE optional flag", "e4", Base4 + "c0 06 00", Nlri, 4, ErrorAction.AttributeDiscard },
        { "AGGREGATOR length 7 on a 4-octet session", "e4", Base4 + "c0 07 07 00fde9 0a000001", Nlri, 5, ErrorAction.AttributeDiscard },
        { "AGGREGATOR length 9", "e4", Base4 + "c0 07 09 0000fde9 0a000001 00", Nlri, 5, ErrorAction.AttributeDiscard },
        { "AGGREGATOR length 8 on a 2-octet session", "e2", OriginIgp + AsPath2 + NextHop + "c0 07 08 0000fde9 0a000001", Nlri, 5, ErrorAction.AttributeDiscard },
        { "AGGREGATOR AS 0", "e4", Base4 + "c0 07 08 00000000 0a000001", Nlri, 9, ErrorAction.AttributeDiscard },
        { "AGGREGATOR non-transitive", "e4", Base4 + "80 07 08 0000fde9 0a000001", Nlri, 4, ErrorAction.AttributeDiscard },
        { "ORIGINATOR_ID from eBGP", "e4", Base4 + "80 09 04 0a000002", Nlri, 9, ErrorAction.AttributeDiscard },
        { "CLUSTER_LIST bad length from eBGP", "e4", Base4 + "80 0a 05 0a00000300", Nlri, 9, ErrorAction.AttributeDiscard },
        { "duplicate ORIGIN", "e4", Base4 + "40 01 01 02", Nlri, 1, ErrorAction.AttributeDiscard },
        { "duplicate unknown attribute", "e4", Base4 + "c0 63 01 01 c0 63 01 02", Nlri, 1, ErrorAction.AttributeDiscard },
        { "AS4_PATH between 4-octet speakers", "e4", Base4 + "c0 11 06 02 01 0000fde9", Nlri, 9, ErrorAction.AttributeDiscard },
        { "AS4_PATH shorter than 6 octets", "e2", OriginIgp + AsPath2 + NextHop + "c0 11 02 02 00", Nlri, 9, ErrorAction.AttributeDiscard },
        { "AS4_PATH segment overrun", "e2", OriginIgp + AsPath2 + NextHop + "c0 11 06 02 02 0000fde9", Nlri, 9, ErrorAction.AttributeDiscard },
        { "AS4_AGGREGATOR length 6", "e2", OriginIgp + AsPath2 + NextHop + "c0 12 06 fde9 0a000001", Nlri, 9, ErrorAction.AttributeDiscard },
        // Session reset (RFC 7606 §7.11, §7.12, §3 g, §5.3; RFC 4271 §6.3 unrecognized well-known)
        { "MP_REACH IPv6 next hop length 5", "e4", OriginIgp + AsPath4 + "80 0e 0b 0002 01 05 20010db800 00 00", "", 9, ErrorAction.SessionReset },
        { "MP_REACH next hop length overruns", "e4", OriginIgp + AsPath4 + "80 0e 06 0002 01 10 2001", "", 9, ErrorAction.SessionReset },
        { "MP_REACH truncated to 3 octets", "e4", OriginIgp + AsPath4 + "80 0e 03 0002 01", "", 9, ErrorAction.SessionReset },
        { "MP_REACH IPv6 prefix length 129", "e4", OriginIgp + AsPath4 + "80 0e 17 0002 01 10 20010db8000000000000000000000001 00 81 20", "", 9, ErrorAction.SessionReset },
        { "MP_REACH prefix overruns", "e4", OriginIgp + AsPath4 + "80 0e 17 0002 01 10 20010db8000000000000000000000001 00 40 20", "", 9, ErrorAction.SessionReset },
        { "MP_REACH overruns the attribute field", "e4", OriginIgp + AsPath4 + "80 0e 20 0002 01 10", "", 5, ErrorAction.SessionReset },
        { "MP_REACH transitive flag", "e4", OriginIgp + AsPath4 + "c0 0e 05 0002 01 00 00", "", 4, ErrorAction.SessionReset },
        { "MP_UNREACH of 2 octets", "e4", "80 0f 02 0002", "", 9, ErrorAction.SessionReset },
        { "MP_UNREACH IPv4 prefix length 33", "e4", "80 0f 05 0001 01 21 0a", "", 9, ErrorAction.SessionReset },
        { "duplicate MP_UNREACH", "e4", "80 0f 03 0002 01 80 0f 03 0002 01", "", 1, ErrorAction.SessionReset },
        { "unrecognized well-known attribute", "e4", Base4 + "40 63 01 00", Nlri, 2, ErrorAction.SessionReset },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryRead_MalformedAttribute_ExpectedActionAndNotification(string label, string session, string attributes, string nlri, byte subcode, ErrorAction action)
    {
        var context = new BgpCodecContext(FourOctetAs: session[1] == '4', ExtendedMessage: false, IsExternal: session[0] == 'e');
        var body = Body(attributes, nlri);

        var ok = UpdateMessage.TryRead(body, context, out var update, out var error);

        Assert.True(action == error.Action, $"{label}: got {error}");
        Assert.Equal(action != ErrorAction.SessionReset, ok);
        Assert.Equal(NotificationCode.UpdateMessageError, error.Code);
        Assert.Equal(subcode, error.Subcode);
        // RFC 4271 §6.3: the data is the erroneous attribute (type, length, value), found inside the attribute field.
        var data = error.GetData(body);
        Assert.NotEmpty(data);
        Assert.Contains(Hex.Of(data), Hex.Of(Hex.Bytes(attributes)), StringComparison.Ordinal);
        if (ok && action == ErrorAction.AttributeDiscard)
        {
            // The rest of the UPDATE stands: its prefix is still announced with the good attributes.
            Assert.Equal([BgpPrefix.Parse("10.244.1.0/24")], update!.Nlri.ToArray());
            Assert.NotNull(update.Attributes.AsPath);
        }
    }

    [Theory]
    [InlineData("missing ORIGIN", "e4", AsPath4 + NextHop, 1)]
    [InlineData("missing AS_PATH", "e4", OriginIgp + NextHop, 2)]
    [InlineData("missing NEXT_HOP", "e4", OriginIgp + AsPath4, 3)]
    [InlineData("missing LOCAL_PREF from iBGP", "i4", Base4, 5)]
    [InlineData("only an unknown transitive attribute (CVE-2023-46753 shape)", "e4", "c0 63 01 00", 1)]
    public void TryRead_MissingWellKnown_TreatAsWithdrawWithTypeAsData(string label, string session, string attributes, byte missingType)
    {
        var context = new BgpCodecContext(session[1] == '4', false, session[0] == 'e');
        var body = Body(attributes);

        Assert.True(UpdateMessage.TryRead(body, context, out var update, out var error), label);

        Assert.Equal(ErrorAction.TreatAsWithdraw, error.Action);
        Assert.Equal((byte)UpdateMessageErrorSubcode.MissingWellKnownAttribute, error.Subcode);
        Assert.Equal([missingType], error.GetData(body));
        Assert.Equal([BgpPrefix.Parse("10.244.1.0/24")], update!.Nlri.ToArray());
    }

    [Fact]
    public void TryRead_MpReachWithoutOrigin_TreatAsWithdraw()
    {
        // RFC 4760 §3: MP_REACH_NLRI needs ORIGIN and AS_PATH too, but not NEXT_HOP.
        var body = Body(AsPath4 + "80 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80001", nlri: "");

        Assert.True(UpdateMessage.TryRead(body, new BgpCodecContext(true, false, true), out _, out var error));

        Assert.Equal(ErrorAction.TreatAsWithdraw, error.Action);
        Assert.Equal([(byte)1], error.GetData(body));
    }

    [Fact]
    public void TryRead_NoNextHopWithOnlyMpReach_NoError()
    {
        var body = Body(OriginIgp + AsPath4 + "80 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80001", nlri: "");

        Assert.True(UpdateMessage.TryRead(body, new BgpCodecContext(true, false, true), out _, out var error));

        Assert.False(error.IsError, error.ToString());
    }

    [Fact]
    public void TryRead_LocalPrefFromEbgp_IgnoredEvenWhenMalformed()
    {
        var body = Body(Base4 + "40 05 03 000064");

        Assert.True(UpdateMessage.TryRead(body, new BgpCodecContext(true, false, true), out var update, out var error));

        Assert.False(error.IsError);
        Assert.Null(update!.Attributes.LocalPref);
    }

    [Fact]
    public void TryRead_SeveralErrors_StrongestWins()
    {
        // A discardable ATOMIC_AGGREGATE first, then a MED that forces treat-as-withdraw.
        var body = Body(Base4 + "40 06 01 00" + "80 04 03 000064");

        UpdateMessage.TryRead(body, new BgpCodecContext(true, false, true), out _, out var error);

        Assert.Equal(ErrorAction.TreatAsWithdraw, error.Action);
        Assert.Equal((byte)PathAttributeType.MultiExitDisc, error.AttributeType);
    }

    [Theory]
    [InlineData("withdrawn length past the message", "0010 0000")]
    [InlineData("attribute length past the message", "0000 0010 40010100")]
    [InlineData("body of 3 octets", "000000")]
    public void TryRead_LengthFieldsDisagree_MalformedAttributeListReset(string label, string body)
    {
        Assert.False(UpdateMessage.TryRead(Hex.Bytes(body), new BgpCodecContext(true, false, true), out _, out var error), label);

        Assert.Equal(ErrorAction.SessionReset, error.Action);
        Assert.Equal((byte)UpdateMessageErrorSubcode.MalformedAttributeList, error.Subcode);
    }

    [Theory]
    [InlineData("NLRI prefix length 33", Base4, "21 0af40100 00", "")]
    [InlineData("NLRI prefix cut short", Base4, "18 0af4", "")]
    [InlineData("withdrawn prefix length 33", "", "", "21 0a000000 00")]
    public void TryRead_BadPrefix_InvalidNetworkFieldReset(string label, string attributes, string nlri, string withdrawn)
    {
        Assert.False(UpdateMessage.TryRead(Body(attributes, nlri, withdrawn), new BgpCodecContext(true, false, true), out _, out var error), label);

        Assert.Equal(ErrorAction.SessionReset, error.Action);
        Assert.Equal((byte)UpdateMessageErrorSubcode.InvalidNetworkField, error.Subcode);
    }
}
