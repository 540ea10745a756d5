using System.Buffers;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// One BGP message. Writers size first (<see cref="GetEncodedLength"/>), then write the header and
/// body into caller memory in one pass; the header's Length is the computed size.
/// </summary>
public abstract class BgpMessage
{
    private protected BgpMessage()
    {
    }

    public abstract BgpMessageType Type { get; }

    /// <summary>Octets of the whole message, header included, as it would be written with <paramref name="context"/>.</summary>
    public int GetEncodedLength(in BgpCodecContext context) => BgpHeader.Size + GetBodyLength(context);

    /// <summary>
    /// Writes the message. Returns false (writing nothing useful) when <paramref name="destination"/> is too
    /// small. A message longer than the session allows is a programmer error and throws: split UPDATEs
    /// with <see cref="UpdatePacker"/>.
    /// </summary>
    public bool TryWrite(Span<byte> destination, in BgpCodecContext context, out int bytesWritten)
    {
        var length = CheckedLength(context);
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }
        BgpHeader.Write(destination, length, Type);
        WriteBody(destination.Slice(BgpHeader.Size, length - BgpHeader.Size), context);
        bytesWritten = length;
        return true;
    }

    /// <summary>Writes the message with one GetSpan and one Advance; returns the octets written.</summary>
    public int Write(IBufferWriter<byte> writer, in BgpCodecContext context)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = CheckedLength(context);
        var span = writer.GetSpan(length);
        BgpHeader.Write(span, length, Type);
        WriteBody(span.Slice(BgpHeader.Size, length - BgpHeader.Size), context);
        writer.Advance(length);
        return length;
    }

    /// <summary>The message as a new array (tests and rare messages; hot paths use <see cref="Write"/>).</summary>
    public byte[] ToArray(in BgpCodecContext context)
    {
        var bytes = new byte[CheckedLength(context)];
        TryWrite(bytes, context, out _);
        return bytes;
    }

    private protected abstract int GetBodyLength(in BgpCodecContext context);

    /// <summary>Writes exactly <see cref="GetBodyLength"/> octets.</summary>
    private protected abstract void WriteBody(Span<byte> destination, in BgpCodecContext context);

    private int CheckedLength(in BgpCodecContext context)
    {
        var length = GetEncodedLength(context);
        var max = context.MaxLengthOf(Type);
        return length <= max
            ? length
            : throw new InvalidOperationException($"{Type} message of {length} octets exceeds the session's maximum of {max}");
    }
}
