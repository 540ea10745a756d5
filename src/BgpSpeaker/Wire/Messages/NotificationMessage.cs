using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// NOTIFICATION (RFC 4271 §4.5).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Error code    | Error subcode |   Data (variable)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class NotificationMessage : BgpMessage
{
    /// <summary>RFC 9003 §2: a shutdown communication is at most 255 octets of UTF-8.</summary>
    public const int MaxShutdownCommunicationLength = 255;

    public NotificationMessage(NotificationCode code, byte subcode, ImmutableArray<byte> data = default)
    {
        Code = code;
        Subcode = subcode;
        Data = data.IsDefault ? [] : data;
    }

    public override BgpMessageType Type => BgpMessageType.Notification;

    public NotificationCode Code { get; }

    public byte Subcode { get; }

    public ImmutableArray<byte> Data { get; }

    /// <summary>
    /// The NOTIFICATION for a decode error; <paramref name="decoded"/> is the span the failing decoder
    /// was given (a message body), <paramref name="header"/> that message's header.
    /// </summary>
    public static NotificationMessage FromError(in BgpError error, ReadOnlySpan<byte> decoded, BgpHeader header = default)
    {
        var data = error.GetData(decoded);
        if (error.Code == NotificationCode.RouteRefreshMessageError && error.Subcode == (byte)RouteRefreshMessageErrorSubcode.InvalidMessageLength)
        {
            // RFC 7313 §5: the data is the complete message, header included.
            var whole = new byte[BgpHeader.Size + data.Length];
            BgpHeader.Write(whole, header.Length, BgpMessageType.RouteRefresh);
            data.CopyTo(whole, BgpHeader.Size);
            data = whole;
        }
        return new NotificationMessage(error.Code, error.Subcode, ImmutableCollectionsMarshal.AsImmutableArray(data));
    }

    public static NotificationMessage Cease(CeaseSubcode subcode) => new(NotificationCode.Cease, (byte)subcode);

    /// <summary>Cease/Administrative Shutdown with an optional operator message (RFC 8203, RFC 9003).</summary>
    public static NotificationMessage AdministrativeShutdown(string? communication = null) =>
        WithCommunication(CeaseSubcode.AdministrativeShutdown, communication);

    /// <summary>Cease/Administrative Reset with an optional operator message (RFC 8203, RFC 9003).</summary>
    public static NotificationMessage AdministrativeReset(string? communication = null) =>
        WithCommunication(CeaseSubcode.AdministrativeReset, communication);

    /// <summary>Cease/Maximum Number of Prefixes Reached with AFI, SAFI and the limit (RFC 4486 §4).</summary>
    public static NotificationMessage MaximumPrefixesReached(AfiSafi family, uint limit)
    {
        var data = new byte[7];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)family.Afi);
        data[2] = (byte)family.Safi;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(3), limit);
        return new NotificationMessage(NotificationCode.Cease, (byte)CeaseSubcode.MaximumNumberOfPrefixesReached, ImmutableCollectionsMarshal.AsImmutableArray(data));
    }

    public static NotificationMessage HoldTimerExpired() => new(NotificationCode.HoldTimerExpired, 0);

    /// <summary>FSM Error with the received message type as data (RFC 6608 §3).</summary>
    public static NotificationMessage FiniteStateMachineError(FiniteStateMachineErrorSubcode subcode, BgpMessageType received) =>
        new(NotificationCode.FiniteStateMachineError, (byte)subcode, [(byte)received]);

    /// <summary>
    /// The operator message of a Cease/Administrative Shutdown or Reset, when the data holds a well-formed
    /// one (length octet, then exactly that many octets of valid UTF-8; RFC 9003 §2).
    /// </summary>
    public bool TryGetShutdownCommunication(out string communication)
    {
        communication = string.Empty;
        var data = Data.AsSpan();
        if (Code != NotificationCode.Cease
            || Subcode is not ((byte)CeaseSubcode.AdministrativeShutdown or (byte)CeaseSubcode.AdministrativeReset)
            || data.IsEmpty || data[0] != data.Length - 1)
        {
            return false;
        }
        try
        {
            communication = new UTF8Encoding(false, true).GetString(data[1..]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Any body of at least 2 octets is a NOTIFICATION; the frame reader enforces that minimum.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out NotificationMessage? message, out BgpError error)
    {
        if (body.Length < 2)
        {
            message = null;
            error = BgpError.WithInlineData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageLength, ErrorAction.SessionReset, (uint)(BgpHeader.Size + body.Length), 2);
            return false;
        }
        message = new NotificationMessage((NotificationCode)body[0], body[1], [.. body[2..]]);
        error = default;
        return true;
    }

    /// <summary>For logs: "Cease/Administrative Shutdown \"maintenance\"".</summary>
    public override string ToString() =>
        TryGetShutdownCommunication(out var text)
            ? $"{NotificationText.Describe(Code, Subcode)} \"{text}\""
            : Data.IsEmpty ? NotificationText.Describe(Code, Subcode) : $"{NotificationText.Describe(Code, Subcode)} data {Convert.ToHexString(Data.AsSpan())}";

    private protected override int GetBodyLength(in BgpCodecContext context) => 2 + Data.Length;

    private protected override void WriteBody(Span<byte> destination, in BgpCodecContext context)
    {
        destination[0] = (byte)Code;
        destination[1] = Subcode;
        Data.AsSpan().CopyTo(destination[2..]);
    }

    private static NotificationMessage WithCommunication(CeaseSubcode subcode, string? communication)
    {
        if (string.IsNullOrEmpty(communication))
        {
            return Cease(subcode);
        }
        var text = Encoding.UTF8.GetBytes(communication);
        if (text.Length > MaxShutdownCommunicationLength)
        {
            throw new ArgumentException($"a shutdown communication is at most {MaxShutdownCommunicationLength} octets of UTF-8 (RFC 9003)", nameof(communication));
        }
        var data = new byte[1 + text.Length];
        data[0] = (byte)text.Length;
        text.CopyTo(data, 1);
        return new NotificationMessage(NotificationCode.Cease, (byte)subcode, ImmutableCollectionsMarshal.AsImmutableArray(data));
    }
}
