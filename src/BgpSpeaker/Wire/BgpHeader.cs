using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// The fixed message header (RFC 4271 §4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                           Marker (16 octets of 0xff)          +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Length               |      Type     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Length counts the whole message, header included.
/// </summary>
public readonly record struct BgpHeader(int Length, BgpMessageType Type)
{
    public const int MarkerLength = 16;

    /// <summary>Octets of the header, and so the smallest message (a KEEPALIVE).</summary>
    public const int Size = 19;

    /// <summary>Octets after the header.</summary>
    public int BodyLength => Length - Size;

    /// <summary>
    /// Smallest legal Length of each message type (RFC 4271 §4.2–§4.5, §6.1). ROUTE-REFRESH has none
    /// here: any body but 4 octets is ROUTE-REFRESH Message Error/Invalid Message Length (RFC 7313 §5).
    /// </summary>
    public static int MinLengthOf(BgpMessageType type) => type switch
    {
        BgpMessageType.Open => 29,
        BgpMessageType.Update => 23,
        BgpMessageType.Notification => 21,
        _ => Size,
    };

    /// <summary>Writes marker, length and type into the first 19 octets of <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, int length, BgpMessageType type)
    {
        destination[..MarkerLength].Fill(0xff);
        BinaryPrimitives.WriteUInt16BigEndian(destination[MarkerLength..], checked((ushort)length));
        destination[MarkerLength + 2] = (byte)type;
    }
}
