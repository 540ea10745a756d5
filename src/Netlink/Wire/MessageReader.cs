using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink.Wire;

/// <summary>
/// Enumerates the messages of one datagram (`foreach (var m in new MessageReader(bytes))`). Every
/// length is checked before use: a header that claims more bytes than are left, or fewer than a
/// header, is an <see cref="InvalidDataException"/>, never an out-of-range read.
/// </summary>
internal ref struct MessageReader
{
    private ReadOnlySpan<byte> _rest;

    public MessageReader(ReadOnlySpan<byte> datagram)
    {
        _rest = datagram;
        Current = default;
    }

    public NetlinkMessage Current { get; private set; }

    public readonly MessageReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < NetlinkProtocol.NlMsgHdrSize)
        {
            if (!_rest.IsEmpty)
            {
                throw new InvalidDataException($"netlink datagram ends with {_rest.Length} stray bytes");
            }
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < NetlinkProtocol.NlMsgHdrSize || length > (uint)_rest.Length)
        {
            throw new InvalidDataException($"netlink message length {length} out of range (1..{_rest.Length} bytes left)");
        }
        Current = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[12..]),
            _rest[NetlinkProtocol.NlMsgHdrSize..(int)length]);
        var next = Math.Min(Alignment.Align((int)length), _rest.Length);
        _rest = _rest[next..];
        return true;
    }
}
