using System.Buffers.Binary;

namespace RoutedNet.Netlink.Tests;

/// <summary>
/// Plays the kernel's side of a conversation: records what is sent and answers with scripted
/// datagrams, built from the sequence numbers of the request just sent. An errno in the script
/// is thrown by Receive, as the real socket does.
/// </summary>
internal sealed class ScriptedKernel : INetlinkTransport
{
    private readonly Queue<Func<uint, byte[]?>> _replies = new();
    private uint _sequence = 100;
    private byte[] _current = [];

    public uint PortId => 42;

    public List<byte[]> Sent { get; } = [];

    public uint LastSequence { get; private set; }

    /// <summary>Queues a reply datagram; the function gets the first sequence number of the last request.</summary>
    public ScriptedKernel Then(Func<uint, byte[]> reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    /// <summary>Queues a receive failure (ENOBUFS after an overrun, for example).</summary>
    public ScriptedKernel ThenFail(Errno errno)
    {
        _replies.Enqueue(_ => throw new NetlinkException(errno, "recv"));
        return this;
    }

    public uint NextSequence() => ++_sequence;

    public void Send(ReadOnlySpan<byte> datagram, string operation)
    {
        Sent.Add(datagram.ToArray());
        LastSequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
    }

    public ReadOnlySpan<byte> Receive(string operation)
    {
        if (!_replies.TryDequeue(out var reply))
        {
            throw new InvalidOperationException("the conversation waited for a reply the kernel would never send");
        }
        _current = reply(LastSequence) ?? [];
        return _current;
    }

    public ReadOnlySpan<byte> ReceiveIfAny(string operation) => _replies.Count == 0 ? [] : Receive(operation);

    /// <summary>One netlink message: header with our port id plus payload, padded to 4.</summary>
    public static byte[] Message(ushort type, ushort flags, uint sequence, byte[] payload, uint portId = 42)
    {
        var length = 16 + payload.Length;
        var bytes = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), portId);
        payload.CopyTo(bytes, 16);
        return bytes;
    }

    /// <summary>An NLMSG_ERROR with NETLINK_CAP_ACK's capped echo; errno 0 is an ack.</summary>
    public static byte[] Ack(uint sequence, Errno errno = Errno.None, uint portId = 42)
    {
        var payload = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -(int)errno);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 16);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(12), sequence);
        return Message(2, 0x100, sequence, payload, portId);
    }

    public static byte[] Done(uint sequence, ushort flags = 2, int error = 0)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, error);
        return Message(3, flags, sequence, payload);
    }

    public static byte[] Concat(params byte[][] messages) => [.. messages.SelectMany(m => m)];
}
