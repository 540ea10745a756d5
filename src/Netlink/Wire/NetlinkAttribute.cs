using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace RoutedNet.Netlink.Wire;

/// <summary>One attribute: its type (nested/byte-order bits masked off) and its value bytes.</summary>
internal readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public ushort Type { get; }

    public ReadOnlySpan<byte> Value { get; }

    public byte AsUInt8() => Value.Length >= 1 ? Value[0] : throw Short(1);

    public ushort AsUInt16() => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : throw Short(2);

    public uint AsUInt32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : throw Short(4);

    public int AsInt32() => unchecked((int)AsUInt32());

    /// <summary>A NUL-terminated (or unterminated) string.</summary>
    public string AsString()
    {
        var end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }

    public IPAddress AsAddress() => Value.Length is 4 or 16 ? new IPAddress(Value) : throw Short(4);

    public AttributeReader Nested() => new(Value);

    private InvalidDataException Short(int needed) =>
        new($"netlink attribute {Type} has {Value.Length} bytes, {needed} needed");
}
