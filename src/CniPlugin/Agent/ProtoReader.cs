using System.Text;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>Reads the fields of one protocol-buffers message (the counterpart of <see cref="ProtoWriter"/>); unknown fields are skipped, as protobuf requires.</summary>
internal ref struct ProtoReader
{
    private ReadOnlySpan<byte> _rest;

    public ProtoReader(ReadOnlySpan<byte> message) => _rest = message;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }
        var tag = Varint();
        Field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_rest.IsEmpty)
            {
                throw Truncated();
            }
            var b = _rest[0];
            _rest = _rest[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new FormatException("the agent's answer has a varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = Varint();
        if (length > (ulong)_rest.Length)
        {
            throw Truncated();
        }
        var bytes = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return bytes;
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    /// <summary>Skips the current field's value.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                Varint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                Bytes();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new FormatException($"the agent's answer has wire type {WireType}, which protobuf 3 does not use");
        }
    }

    private void Advance(int count)
    {
        if (_rest.Length < count)
        {
            throw Truncated();
        }
        _rest = _rest[count..];
    }

    private static FormatException Truncated() => new("the agent's answer is truncated");
}
