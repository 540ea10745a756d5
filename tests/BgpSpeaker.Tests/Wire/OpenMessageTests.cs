using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class OpenMessageTests
{
    private static readonly BgpCodecContext Context = BgpCodecContext.Initial;

    /// <summary>An OPEN as we send it, worked out field by field from RFC 4271 §4.2 and the capability RFCs.</summary>
    private const string OurOpen =
        Hex.Marker + "003d 01" // Length 61, Type 1 OPEN
        + "04"                  // Version 4
        + "fde9"                // My AS 65001
        + "005a"                // Hold Time 90
        + "0a000001"            // BGP Identifier 10.0.0.1
        + "20"                  // Opt Parm Len 32
        + "02 1e"               // Parameter type 2 (Capabilities), length 30
        + "01 04 0001 00 01"    // Multiprotocol: AFI 1, reserved, SAFI 1 (RFC 4760 §8)
        + "01 04 0002 00 01"    // Multiprotocol: AFI 2, reserved, SAFI 1
        + "02 00"               // Route Refresh (RFC 2918)
        + "06 00"               // Extended Message (RFC 8654)
        + "40 06 0078 0001 01 80" // Graceful Restart: flags 0, time 120; AFI 1 SAFI 1, F bit (RFC 4724)
        + "41 04 0000fde9";     // 4-octet AS 65001 (RFC 6793)

    private static BgpCapabilities OurCapabilities => new()
    {
        Multiprotocol = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast],
        RouteRefresh = true,
        ExtendedMessage = true,
        GracefulRestart = new GracefulRestartCapability { RestartTime = 120, Families = [new(AfiSafi.Ipv4Unicast, true)] },
    };

    [Fact]
    public void Write_OurOpen_MatchesHandVector()
    {
        var open = OpenMessage.Create(65001, 90, 0x0a000001, OurCapabilities);

        Assert.Equal(Hex.Of(Hex.Bytes(OurOpen)), Hex.Of(open.ToArray(Context)));
    }

    [Fact]
    public void TryRead_OurOpen_DecodesEveryField()
    {
        var open = Decode(OurOpen);

        Assert.Equal(4, open.Version);
        Assert.Equal(65001u, open.Asn);
        Assert.Equal(90, open.HoldTime);
        Assert.Equal(0x0a000001u, open.BgpIdentifier);
        Assert.Equal(OurCapabilities with { FourOctetAs = 65001 }, open.Capabilities);
    }

    [Fact]
    public void Create_FourOctetAs_SendsAsTransAndCapability()
    {
        var open = OpenMessage.Create(4200000001, 90, 0x0a000001, BgpCapabilities.None);

        // Opt Parm Len 8: parameter 2, length 6, capability 65 length 4, 4200000001.
        Assert.Equal(
            Hex.Of(Hex.Bytes(Hex.Marker + "0025 01" + "04 5ba0 005a 0a000001 08" + "02 06 41 04 fa56ea01")),
            Hex.Of(open.ToArray(Context)));
        Assert.Equal(OpenMessage.AsTrans, open.MyAs);
        Assert.Equal(4200000001u, Decode(Hex.Of(open.ToArray(Context))).Asn);
    }

    [Fact]
    public void TryRead_GracefulRestartRestartingWithNotification_ReadsFlags()
    {
        // Flags R (0x8) and N (0x4) over restart time 300 (0x12c): 0xc12c; AFI 2 SAFI 1 without F.
        var open = Decode(Open("02 08 40 06 c12c 0002 01 00"));

        var gr = open.Capabilities.GracefulRestart!;
        Assert.True(gr.Restarting);
        Assert.True(gr.NotificationSupport);
        Assert.Equal(300, gr.RestartTime);
        Assert.Equal([new GracefulRestartFamily(AfiSafi.Ipv6Unicast, false)], gr.Families.ToArray());
    }

    [Fact]
    public void TryRead_UnknownCapability_KeptAndWrittenBack()
    {
        // Capability 73 (FQDN) with 3 octets, then capability 2; one parameter each, as FRR sends them.
        var bytes = Open("02 05 49 03 010203" + "02 02 02 00");

        var open = Decode(bytes);

        Assert.Equal([new RawCapability(73, [1, 2, 3])], open.Capabilities.Unknown.ToArray());
        Assert.True(open.Capabilities.RouteRefresh);
        // Written back in one parameter, known capabilities first.
        Assert.Equal(Hex.Of(Hex.Bytes(Open("02 07 02 00 49 03 010203"))), Hex.Of(open.ToArray(Context)));
    }

    [Fact]
    public void Write_CapabilitiesPast255Octets_UsesExtendedParametersAndReadsBack()
    {
        // 50 unknown capabilities of 4 octets: 300 octets, past what a 1-octet parameter length holds (RFC 9072).
        var capabilities = BgpCapabilities.None with { Unknown = [.. Enumerable.Range(0, 50).Select(i => new RawCapability(200, [(byte)i, 0, 0, 0]))] };
        var open = new OpenMessage(65001, 90, 1, capabilities);

        var bytes = open.ToArray(Context);

        // Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm. Length 303, parameter 2 with 2-octet length 300.
        Assert.Equal("FF FF 012F 02 012C".Replace(" ", "", StringComparison.Ordinal), Hex.Of(bytes.AsSpan(28, 7)));
        Assert.Equal(capabilities, Decode(Hex.Of(bytes)).Capabilities);
    }

    public static TheoryData<string, string, byte, string> OpenErrors => new()
    {
        // label, OPEN body hex, OPEN Message Error subcode, data
        { "version 3", "03 fde9 005a 0a000001 00", 1, "0004" },
        { "My AS 0", "04 0000 005a 0a000001 00", 2, "" },
        { "4-octet AS capability 0", "04 5ba0 005a 0a000001 08 02 06 41 04 00000000", 2, "" },
        { "BGP identifier 0.0.0.0", "04 fde9 005a 00000000 00", 3, "" },
        { "optional parameter type 1 (authentication)", "04 fde9 005a 0a000001 04 01 02 0000", 4, "" },
        { "hold time 1", "04 fde9 0001 0a000001 00", 6, "" },
        { "hold time 2", "04 fde9 0002 0a000001 00", 6, "" },
        { "Opt Parm Len past the message (CVE-2022-43681 shape)", "04 fde9 005a 0a000001 0a", 0, "" },
        { "Opt Parm Len short of the message", "04 fde9 005a 0a000001 00 02 00", 0, "" },
        { "parameter length overruns", "04 fde9 005a 0a000001 02 02 05", 0, "" },
        { "capability length overruns its parameter", "04 fde9 005a 0a000001 04 02 02 41 04", 0, "" },
        { "multiprotocol capability of 1 octet", "04 fde9 005a 0a000001 05 02 03 01 01 00", 0, "" },
        { "graceful restart of 1 octet", "04 fde9 005a 0a000001 05 02 03 40 01 00", 0, "" },
        { "route refresh with a value", "04 fde9 005a 0a000001 05 02 03 02 01 00", 0, "" },
        { "extended parameters cut short (CVE-2022-40302 shape)", "04 fde9 005a 0a000001 ff ff 00", 0, "" },
        { "extended parameters length past the message", "04 fde9 005a 0a000001 ff ff 0010 02 0001", 0, "" },
    };

    [Theory]
    [MemberData(nameof(OpenErrors))]
    public void TryRead_InvalidOpen_OpenMessageError(string label, string body, byte subcode, string data)
    {
        var bytes = Hex.Bytes(body);

        var ok = OpenMessage.TryRead(bytes, out _, out var error);

        Assert.False(ok, label);
        Assert.Equal(NotificationCode.OpenMessageError, error.Code);
        Assert.Equal(subcode, error.Subcode);
        Assert.Equal(ErrorAction.SessionReset, error.Action);
        Assert.Equal(data.ToUpperInvariant(), Hex.Of(error.GetData(bytes)));
    }

    [Fact]
    public void CheckPeer_UnexpectedAs_BadPeerAs()
    {
        var open = OpenMessage.Create(65002, 90, 0x0a000002, BgpCapabilities.None);

        var error = open.CheckPeer(expectedAs: 65001, localIdentifier: 0x0a000001, isInternal: false);

        Assert.Equal(NotificationCode.OpenMessageError, error.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.BadPeerAs, error.Subcode);
    }

    [Fact]
    public void CheckPeer_InternalPeerWithOurIdentifier_BadBgpIdentifier()
    {
        var open = OpenMessage.Create(65001, 90, 0x0a000001, BgpCapabilities.None);

        var error = open.CheckPeer(expectedAs: 65001, localIdentifier: 0x0a000001, isInternal: true);

        Assert.Equal((byte)OpenMessageErrorSubcode.BadBgpIdentifier, error.Subcode);
        Assert.False(open.CheckPeer(65001, 0x0a000002, true).IsError);
    }

    [Fact]
    public void NegotiatedFamilies_Intersection_KeepsCommonOnes()
    {
        var ours = OurCapabilities;
        var theirs = BgpCapabilities.None with { Multiprotocol = [AfiSafi.Ipv6Unicast] };

        Assert.Equal([AfiSafi.Ipv6Unicast], ours.NegotiatedFamilies(theirs).ToArray());
        Assert.Equal([AfiSafi.Ipv4Unicast], ours.NegotiatedFamilies(BgpCapabilities.None).ToArray());
    }

    /// <summary>An OPEN with AS 65001, hold 90, id 10.0.0.1 and the given optional parameters.</summary>
    private static string Open(string parameters)
    {
        var p = Hex.Bytes(parameters);
        return Hex.Marker + (29 + p.Length).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + "01"
            + "04 fde9 005a 0a000001" + p.Length.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + parameters;
    }

    private static OpenMessage Decode(string hex)
    {
        var bytes = Hex.Bytes(hex);
        Assert.Equal(FrameStatus.Frame, BgpFrameReader.TryReadFrame(bytes, Context, out var header, out var error));
        Assert.True(BgpMessageReader.TryRead(header, bytes.AsSpan(BgpHeader.Size, header.BodyLength), Context, out var message, out error), error.ToString());
        return Assert.IsType<OpenMessage>(message);
    }
}
