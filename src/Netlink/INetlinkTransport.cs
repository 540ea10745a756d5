namespace RoutedNet.Netlink;

/// <summary>
/// What the conversations need from a socket: datagrams out and in, a port id and sequence numbers.
/// <see cref="NetlinkSocket"/> is the real one; unit tests script the kernel's side through it.
/// </summary>
internal interface INetlinkTransport
{
    uint PortId { get; }

    uint NextSequence();

    void Send(ReadOnlySpan<byte> datagram, string operation);

    /// <summary>Blocks for the next datagram from the kernel.</summary>
    ReadOnlySpan<byte> Receive(string operation);

    /// <summary>The next queued datagram, or empty when none is queued.</summary>
    ReadOnlySpan<byte> ReceiveIfAny(string operation);
}
