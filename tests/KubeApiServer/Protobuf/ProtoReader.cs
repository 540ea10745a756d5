namespace RoutedNet.KubeApiServer.Protobuf;

/// <summary>
/// A protobuf wire-format reader (varints and length-delimited fields; https://protobuf.dev/programming-guides/encoding/),
/// enough for the Kubernetes messages the stand-in decodes.
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _at;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _at = 0;
    }

    public readonly bool End => _at >= _data.Length;

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_at >= _data.Length)
            {
                throw new FormatException("truncated varint");
            }
            var b = _data[_at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new FormatException("varint too long");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = (int)ReadVarint();
        if (length < 0 || _at + length > _data.Length)
        {
            throw new FormatException("truncated length-delimited field");
        }
        var slice = _data.Slice(_at, length);
        _at += length;
        return slice;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _at += 8;
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                _at += 4;
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType}");
        }
        if (_at > _data.Length)
        {
            throw new FormatException("truncated field");
        }
    }
}
