using System.Buffers.Binary;
using System.Net;
using System.Text;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink.Wire;

/// <summary>
/// Writes netlink messages into caller memory. Messages and nested attributes are opened with
/// <see cref="BeginMessage"/>/<see cref="BeginNested"/>, which return the offset of their header;
/// <see cref="EndMessage"/>/<see cref="EndNested"/> back-patch the length and pad to 4 bytes.
/// Padding is zeroed because the kernel rejects garbage in some fixed headers.
/// </summary>
/// <remarks>
/// struct nlmsghdr { u32 nlmsg_len; u16 nlmsg_type; u16 nlmsg_flags; u32 nlmsg_seq; u32 nlmsg_pid; }
/// struct rtattr   { u16 rta_len; u16 rta_type; } followed by the value, padded to 4.
/// All fields are host byte order (little-endian on every platform .NET runs Linux on).
/// </remarks>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buffer;

    public NetlinkWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Length = 0;
    }

    /// <summary>Continues writing a buffer whose first <paramref name="length"/> bytes (4-aligned) hold messages already.</summary>
    public NetlinkWriter(Span<byte> buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Bytes written so far, always 4-aligned between calls.</summary>
    public int Length { get; private set; }

    public readonly int Remaining => _buffer.Length - Length;

    public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

    public int BeginMessage(ushort type, ushort flags, uint sequence)
    {
        var start = Length;
        var header = Reserve(NetlinkProtocol.NlMsgHdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        // nlmsg_pid 0: the kernel fills in our port id.
        return start;
    }

    /// <summary>Adds <paramref name="flags"/> to the header of the message that begins at <paramref name="start"/>.</summary>
    public readonly void AddFlags(int start, ushort flags)
    {
        var field = _buffer.Slice(start + 6, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(field) | flags));
    }

    public void EndMessage(int start) =>
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[start..], (uint)(Length - start));

    /// <summary>Reserves a zeroed fixed header (rtmsg, ifinfomsg, ...) of <paramref name="size"/> bytes, padded to 4.</summary>
    public Span<byte> Reserve(int size)
    {
        var aligned = Alignment.Align(size);
        if (aligned > Remaining)
        {
            throw new InvalidOperationException($"netlink message does not fit: {aligned} bytes needed, {Remaining} left");
        }
        var span = _buffer.Slice(Length, aligned);
        span.Clear();
        Length += aligned;
        return span[..size];
    }

    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var attribute = Reserve(NetlinkProtocol.RtAttrSize + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)attribute.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        value.CopyTo(attribute[NetlinkProtocol.RtAttrSize..]);
    }

    public void WriteUInt8(ushort type, byte value) => WriteAttribute(type, [value]);

    public void WriteUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    public void WriteInt32(ushort type, int value) => WriteUInt32(type, unchecked((uint)value));

    /// <summary>A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND).</summary>
    public void WriteString(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[^1] = 0;
        WriteAttribute(type, bytes);
    }

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order.</summary>
    public void WriteAddress(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        WriteAttribute(type, bytes[..written]);
    }

    public int BeginNested(ushort type)
    {
        var start = Length;
        var header = Reserve(NetlinkProtocol.RtAttrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(Length - start));
}
