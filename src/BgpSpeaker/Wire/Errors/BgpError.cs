using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// A decode error as a NOTIFICATION-in-waiting: code, subcode, the data to send and the RFC 7606
/// action. Decoders return it instead of throwing, so that a malformed message can only end in a
/// NOTIFICATION, a treat-as-withdraw or a discarded attribute.
/// </summary>
/// <remarks>
/// The data is either a few octets kept inline (a length field, a type code, a version) or a slice
/// of the span that was being decoded (an erroneous attribute): <see cref="GetData"/> takes that
/// same span. For errors that do not reset the session the code and subcode say which NOTIFICATION
/// RFC 4271 would have sent, for the log.
/// </remarks>
public readonly struct BgpError : IEquatable<BgpError>
{
    private readonly uint _inlineData;
    private readonly byte _inlineLength;

    private BgpError(NotificationCode code, byte subcode, ErrorAction action, byte attributeType, uint inlineData, byte inlineLength, int dataOffset, int dataLength)
    {
        Code = code;
        Subcode = subcode;
        Action = action;
        AttributeType = attributeType;
        _inlineData = inlineData;
        _inlineLength = inlineLength;
        DataOffset = dataOffset;
        DataLength = dataLength;
    }

    /// <summary>No error.</summary>
    public static BgpError None => default;

    public NotificationCode Code { get; }

    public byte Subcode { get; }

    public ErrorAction Action { get; }

    /// <summary>Type code of the path attribute at fault, or 0.</summary>
    public byte AttributeType { get; }

    /// <summary>Offset of the data in the decoded span when the data is a slice of it; -1 when inline or empty.</summary>
    public int DataOffset { get; }

    /// <summary>Number of data octets (inline or sliced).</summary>
    public int DataLength { get; }

    public bool IsError => Action != ErrorAction.None;

    public bool IsSessionReset => Action == ErrorAction.SessionReset;

    /// <summary>An error whose data are 0 to 4 octets given as a big-endian number (e.g. a 2-octet length field).</summary>
    public static BgpError WithInlineData(NotificationCode code, byte subcode, ErrorAction action, uint data, int dataLength, byte attributeType = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)dataLength, 4u, nameof(dataLength));
        return new BgpError(code, subcode, action, attributeType, data, (byte)dataLength, -1, dataLength);
    }

    /// <summary>An error whose data are <paramref name="length"/> octets at <paramref name="offset"/> of the span being decoded.</summary>
    public static BgpError WithSlice(NotificationCode code, byte subcode, ErrorAction action, int offset, int length, byte attributeType = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new BgpError(code, subcode, action, attributeType, 0, 0, offset, length);
    }

    /// <summary>An error without data.</summary>
    public static BgpError WithoutData(NotificationCode code, byte subcode, ErrorAction action, byte attributeType = 0) =>
        new(code, subcode, action, attributeType, 0, 0, -1, 0);

    /// <summary>The same error moved by <paramref name="delta"/> octets, for a slice decoded inside a larger span.</summary>
    public BgpError Shift(int delta) =>
        DataOffset < 0 ? this : new BgpError(Code, Subcode, Action, AttributeType, _inlineData, _inlineLength, DataOffset + delta, DataLength);

    /// <summary>The same error with another action (RFC 7606 moves many RFC 4271 errors to a weaker one).</summary>
    public BgpError WithAction(ErrorAction action) =>
        new(Code, Subcode, action, AttributeType, _inlineData, _inlineLength, DataOffset, DataLength);

    /// <summary>RFC 7606 §3: of several errors the strongest action wins; on a tie the first one found stays.</summary>
    public BgpError Strongest(in BgpError other) => other.Action > Action ? other : this;

    /// <summary>Copies the NOTIFICATION data; <paramref name="decoded"/> is the span the decoder was given.</summary>
    public int CopyData(ReadOnlySpan<byte> decoded, Span<byte> destination)
    {
        if (DataOffset >= 0)
        {
            decoded.Slice(DataOffset, DataLength).CopyTo(destination);
            return DataLength;
        }
        Span<byte> inline = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(inline, _inlineData);
        inline[(4 - _inlineLength)..].CopyTo(destination);
        return _inlineLength;
    }

    /// <summary>The NOTIFICATION data as a new array; <paramref name="decoded"/> is the span the decoder was given.</summary>
    public byte[] GetData(ReadOnlySpan<byte> decoded)
    {
        var data = new byte[DataLength];
        CopyData(decoded, data);
        return data;
    }

    public bool Equals(BgpError other) =>
        Code == other.Code && Subcode == other.Subcode && Action == other.Action && AttributeType == other.AttributeType
        && _inlineData == other._inlineData && _inlineLength == other._inlineLength
        && DataOffset == other.DataOffset && DataLength == other.DataLength;

    public override bool Equals(object? obj) => obj is BgpError other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Code, Subcode, Action, AttributeType, _inlineData, DataOffset, DataLength);

    public static bool operator ==(BgpError left, BgpError right) => left.Equals(right);

    public static bool operator !=(BgpError left, BgpError right) => !left.Equals(right);

    /// <summary>For logs: "UPDATE Message Error/Malformed AS_PATH (AS_PATH, treat-as-withdraw)".</summary>
    public override string ToString() =>
        !IsError
            ? "no error"
            : $"{NotificationText.Describe(Code, Subcode)} ({(AttributeType != 0 ? NotificationText.AttributeName(AttributeType) + ", " : string.Empty)}{NotificationText.Describe(Action)})";
}
