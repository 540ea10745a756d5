using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// OPEN (RFC 4271 §4.2; capabilities RFC 5492; extended parameter length RFC 9072).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+
/// |    Version    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     My Autonomous System      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Hold Time           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         BGP Identifier                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Opt Parm Len  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             Optional Parameters (variable)                    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Each optional parameter is Type (1), Length (1), Value; we understand only type 2, Capabilities.
/// </summary>
public sealed partial class OpenMessage : BgpMessage
{
    public const byte BgpVersion = 4;

    /// <summary>RFC 6793 §9: the 2-octet stand-in for an AS that does not fit in 16 bits.</summary>
    public const ushort AsTrans = 23456;

    /// <summary>Makes an OPEN on the wire as it is (e.g. to test a peer's checks); see <see cref="Create"/> for ours.</summary>
    public OpenMessage(ushort myAs, ushort holdTime, uint bgpIdentifier, BgpCapabilities capabilities, byte version = BgpVersion)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        Version = version;
        MyAs = myAs;
        HoldTime = holdTime;
        BgpIdentifier = bgpIdentifier;
        Capabilities = capabilities;
    }

    public override BgpMessageType Type => BgpMessageType.Open;

    public byte Version { get; }

    /// <summary>The 2-octet My Autonomous System field: <see cref="AsTrans"/> for a 4-octet AS.</summary>
    public ushort MyAs { get; }

    /// <summary>Seconds; 0 or at least 3 (RFC 4271 §4.2).</summary>
    public ushort HoldTime { get; }

    /// <summary>The router id, first address octet most significant.</summary>
    public uint BgpIdentifier { get; }

    public BgpCapabilities Capabilities { get; }

    /// <summary>The sender's AS: the 4-octet AS capability when present, else My AS (RFC 6793 §4.1).</summary>
    public uint Asn => Capabilities.FourOctetAs ?? MyAs;

    /// <summary>Our OPEN: My AS becomes AS_TRANS when <paramref name="localAs"/> needs 4 octets, and the 4-octet AS capability is always sent.</summary>
    public static OpenMessage Create(uint localAs, ushort holdTime, uint bgpIdentifier, BgpCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var myAs = localAs > ushort.MaxValue ? AsTrans : (ushort)localAs;
        return new OpenMessage(myAs, holdTime, bgpIdentifier, capabilities with { FourOctetAs = localAs });
    }

    /// <summary>
    /// Checks the OPEN against what we configured for this peer (RFC 4271 §6.2): the AS we expect
    /// (Bad Peer AS) and, on iBGP, that its identifier differs from ours (Bad BGP Identifier).
    /// </summary>
    public BgpError CheckPeer(uint expectedAs, uint localIdentifier, bool isInternal)
    {
        if (Asn != expectedAs)
        {
            return BgpError.WithoutData(NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.BadPeerAs, ErrorAction.SessionReset);
        }
        if (isInternal && BgpIdentifier == localIdentifier)
        {
            return BgpError.WithoutData(NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.BadBgpIdentifier, ErrorAction.SessionReset);
        }
        return default;
    }

    public override string ToString() =>
        $"OPEN v{Version} AS {Asn} hold {HoldTime} id {BgpIdentifier >> 24}.{(BgpIdentifier >> 16) & 0xff}.{(BgpIdentifier >> 8) & 0xff}.{BgpIdentifier & 0xff}";
}
