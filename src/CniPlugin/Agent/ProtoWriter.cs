using System.Text;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// Protocol-buffers encoding of the few field kinds the agent's Cni* messages use (varint,
/// string, embedded message), written by hand: the plugin runs once per pod, and these few lines
/// cost nothing at start where a message library's descriptors would. proto/node.proto is the
/// schema; CniPlugin.Tests checks these bytes against the generated types.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public ProtoWriter Varint(int field, ulong value)
    {
        // proto3 leaves default values out.
        if (value != 0)
        {
            Tag(field, 0);
            RawVarint(value);
        }
        return this;
    }

    public ProtoWriter Bool(int field, bool value) => Varint(field, value ? 1UL : 0UL);

    public ProtoWriter String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            RepeatedString(field, value);
        }
        return this;
    }

    /// <summary>One element of a repeated string: written even when empty.</summary>
    public ProtoWriter RepeatedString(int field, string value)
    {
        Tag(field, 2);
        var length = Encoding.UTF8.GetByteCount(value);
        RawVarint((ulong)length);
        Ensure(length);
        Length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
        return this;
    }

    public ProtoWriter Strings(int field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            RepeatedString(field, value);
        }
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Tag(field, 2);
        RawVarint((ulong)message.Length);
        Ensure(message.Length);
        message.Written.CopyTo(_buffer.AsSpan(Length));
        Length += message.Length;
        return this;
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    private void Ensure(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
