using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// ROUTE-REFRESH (RFC 2918 §3, subtype from RFC 7313 §3.2).
/// <code>
///  0       7      15      23      31
/// +-------+-------+-------+-------+
/// |      AFI      |Subtype| SAFI  |
/// +-------+-------+-------+-------+
/// </code>
/// A request for a family the peer never negotiated is to be ignored (RFC 2918 §4): that is the session's call.
/// </summary>
public sealed class RouteRefreshMessage(AfiSafi family, RouteRefreshSubtype subtype = RouteRefreshSubtype.Normal) : BgpMessage
{
    private const int BodySize = 4;

    public override BgpMessageType Type => BgpMessageType.RouteRefresh;

    public AfiSafi Family { get; } = family;

    public RouteRefreshSubtype Subtype { get; } = subtype;

    /// <summary>
    /// Any body but exactly 4 octets is ROUTE-REFRESH Message Error/Invalid Message Length carrying the
    /// whole message (RFC 7313 §5; we negotiate no ORF, so no longer form is valid). The error's data
    /// slice covers only the body: <see cref="NotificationMessage.FromError"/> puts the header back.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out RouteRefreshMessage? message, out BgpError error)
    {
        if (body.Length != BodySize)
        {
            message = null;
            error = BgpError.WithSlice(NotificationCode.RouteRefreshMessageError, (byte)RouteRefreshMessageErrorSubcode.InvalidMessageLength, ErrorAction.SessionReset, 0, body.Length);
            return false;
        }
        message = new RouteRefreshMessage(new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(body), (Safi)body[3]), (RouteRefreshSubtype)body[2]);
        error = default;
        return true;
    }

    public override string ToString() => $"ROUTE-REFRESH {Family} {Subtype}";

    private protected override int GetBodyLength(in BgpCodecContext context) => BodySize;

    private protected override void WriteBody(Span<byte> destination, in BgpCodecContext context)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Family.Afi);
        destination[2] = (byte)Subtype;
        destination[3] = (byte)Family.Safi;
    }
}
