using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink.Wire;

/// <summary>
/// Enumerates rtattr/nlattr TLVs (`foreach (var a in new AttributeReader(span))`). A length
/// shorter than the TLV header or longer than what is left is an <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> _rest;

    public AttributeReader(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
        Current = default;
    }

    public NetlinkAttribute Current { get; private set; }

    public readonly AttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < NetlinkProtocol.RtAttrSize)
        {
            // The kernel may pad the last attribute; fewer than 4 bytes can hold no attribute.
            return false;
        }
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < NetlinkProtocol.RtAttrSize || length > _rest.Length)
        {
            throw new InvalidDataException($"netlink attribute length {length} out of range (4..{_rest.Length} bytes left)");
        }
        var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & NetlinkProtocol.AttributeTypeMask);
        Current = new NetlinkAttribute(type, _rest[NetlinkProtocol.RtAttrSize..length]);
        _rest = _rest[Math.Min(Alignment.Align(length), _rest.Length)..];
        return true;
    }
}
