using System.Buffers;
using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Cuts a byte stream into BGP messages. The 19-octet header is checked (marker, then length, then
/// type, RFC 4271 §6.1) as soon as it has arrived, before waiting for the body, so a hostile length
/// never makes us buffer more than the negotiated maximum.
/// </summary>
public static class BgpFrameReader
{
    /// <summary>
    /// Looks for one message at the start of <paramref name="buffer"/>. On <see cref="FrameStatus.Frame"/>
    /// <paramref name="body"/> is the message after its header and the caller consumes
    /// <c>header.Length</c> octets; on <see cref="FrameStatus.NeedMoreData"/> nothing is consumed.
    /// </summary>
    public static FrameStatus TryReadFrame(in ReadOnlySequence<byte> buffer, in BgpCodecContext context, out BgpHeader header, out ReadOnlySequence<byte> body, out BgpError error)
    {
        body = default;
        if (buffer.Length < BgpHeader.Size)
        {
            header = default;
            error = default;
            return FrameStatus.NeedMoreData;
        }
        Span<byte> headerBytes = stackalloc byte[BgpHeader.Size];
        buffer.Slice(0, BgpHeader.Size).CopyTo(headerBytes);
        var status = TryReadHeader(headerBytes, context, out header, out error);
        if (status != FrameStatus.Frame)
        {
            return status;
        }
        if (buffer.Length < header.Length)
        {
            return FrameStatus.NeedMoreData;
        }
        body = buffer.Slice(BgpHeader.Size, header.BodyLength);
        return FrameStatus.Frame;
    }

    /// <summary>Same as the sequence overload for a contiguous buffer; the body is <c>buffer.Slice(19, header.BodyLength)</c>.</summary>
    public static FrameStatus TryReadFrame(ReadOnlySpan<byte> buffer, in BgpCodecContext context, out BgpHeader header, out BgpError error)
    {
        if (buffer.Length < BgpHeader.Size)
        {
            header = default;
            error = default;
            return FrameStatus.NeedMoreData;
        }
        var status = TryReadHeader(buffer[..BgpHeader.Size], context, out header, out error);
        return status == FrameStatus.Frame && buffer.Length < header.Length ? FrameStatus.NeedMoreData : status;
    }

    /// <summary>Validates a 19-octet header; returns <see cref="FrameStatus.Frame"/> or <see cref="FrameStatus.Error"/>.</summary>
    public static FrameStatus TryReadHeader(ReadOnlySpan<byte> headerBytes, in BgpCodecContext context, out BgpHeader header, out BgpError error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headerBytes.Length, BgpHeader.Size, nameof(headerBytes));
        header = default;
        if (headerBytes[..BgpHeader.MarkerLength].IndexOfAnyExcept((byte)0xff) >= 0)
        {
            error = BgpError.WithoutData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.ConnectionNotSynchronized, ErrorAction.SessionReset);
            return FrameStatus.Error;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(headerBytes[BgpHeader.MarkerLength..]);
        var type = (BgpMessageType)headerBytes[BgpHeader.MarkerLength + 2];
        var badLength = BgpError.WithInlineData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageLength, ErrorAction.SessionReset, (uint)length, 2);
        if (length < BgpHeader.Size || length > context.MaxMessageLength)
        {
            error = badLength;
            return FrameStatus.Error;
        }
        if (!Enum.IsDefined(type))
        {
            error = BgpError.WithInlineData(NotificationCode.MessageHeaderError, (byte)MessageHeaderErrorSubcode.BadMessageType, ErrorAction.SessionReset, (uint)type, 1);
            return FrameStatus.Error;
        }
        // RFC 4271 §6.1: per-type minimums, KEEPALIVE exactly 19; RFC 8654 §4: OPEN and KEEPALIVE never exceed 4096.
        if (length < BgpHeader.MinLengthOf(type) || length > context.MaxLengthOf(type) || (type == BgpMessageType.Keepalive && length != BgpHeader.Size))
        {
            error = badLength;
            return FrameStatus.Error;
        }
        header = new BgpHeader(length, type);
        error = default;
        return FrameStatus.Frame;
    }
}
