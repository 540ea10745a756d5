using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink;

/// <summary>
/// The request/reply patterns over a <see cref="NetlinkSocket"/>. Every reply is matched on
/// sequence number and port id; anything else (a late reply to an abandoned dump) is skipped.
/// </summary>
internal static class NetlinkConversation
{
    /// <summary>How often a dump is retried after NLM_F_DUMP_INTR or ENOBUFS before the error escapes.</summary>
    public const int DumpAttempts = 5;

    /// <summary>Sends one change request (with NLM_F_ACK) and waits for its ack; a non-zero errno throws.</summary>
    public static void Change(INetlinkTransport socket, Span<byte> request, Func<string> operation)
    {
        var sequence = Stamp(socket, request);
        Send(socket, request, operation);
        while (true)
        {
            foreach (var message in new MessageReader(Receive(socket, operation)))
            {
                if (!IsReply(socket, message, sequence) || message.Type != NetlinkProtocol.NLMSG_ERROR)
                {
                    continue;
                }
                var errno = Acknowledgement.Read(message, out var kernelMessage);
                if (errno != Errno.None)
                {
                    throw new NetlinkException(errno, operation(), kernelMessage);
                }
                return;
            }
        }
    }

    /// <summary>
    /// Sends a GET (without NLM_F_DUMP) and hands its single reply to <paramref name="handler"/>;
    /// an NLMSG_ERROR throws.
    /// </summary>
    public static void Query(INetlinkTransport socket, Span<byte> request, Func<string> operation, MessageHandler handler)
    {
        var errno = TryQuery(socket, request, operation, handler, out var kernelMessage);
        if (errno != Errno.None)
        {
            throw new NetlinkException(errno, operation(), kernelMessage);
        }
    }

    /// <summary>
    /// <see cref="Query"/> that returns an NLMSG_ERROR reply's errno (ENODATA when it has none)
    /// instead of throwing: for lookups whose "not found" is an answer, not a failure.
    /// </summary>
    public static Errno TryQuery(INetlinkTransport socket, Span<byte> request, Func<string> operation, MessageHandler handler, out string? kernelMessage)
    {
        var sequence = Stamp(socket, request);
        Send(socket, request, operation);
        while (true)
        {
            foreach (var message in new MessageReader(Receive(socket, operation)))
            {
                if (!IsReply(socket, message, sequence))
                {
                    continue;
                }
                if (message.Type == NetlinkProtocol.NLMSG_ERROR)
                {
                    var errno = Acknowledgement.Read(message, out kernelMessage);
                    return errno == Errno.None ? Errno.ENODATA : errno;
                }
                handler(message);
                kernelMessage = null;
                return Errno.None;
            }
        }
    }

    /// <summary>
    /// Runs a dump (NLM_F_DUMP request) to NLMSG_DONE, streaming each object to <paramref name="handler"/>.
    /// An interrupted dump (the table changed meanwhile), an overrun receive buffer or a truncated datagram restarts it,
    /// at most <see cref="DumpAttempts"/> times; <paramref name="restart"/> tells the caller to drop what it collected.
    /// </summary>
    public static void Dump(INetlinkTransport socket, Span<byte> request, Func<string> operation, Action restart, MessageHandler handler)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                DumpOnce(socket, request, operation, handler);
                return;
            }
            catch (NetlinkException e) when (attempt < DumpAttempts && IsRetryable(e))
            {
                restart();
            }
        }
    }

    /// <summary>
    /// Sends a datagram of change requests stamped with consecutive sequence numbers from
    /// <paramref name="firstSequence"/>, only the last of them with NLM_F_ACK, and records each one's
    /// errno (and kernel text) by position. rtnetlink handles the whole datagram in order inside
    /// sendmsg and answers every failure with an NLMSG_ERROR, so once the last message's ack is in,
    /// every request without an error reply succeeded. After an overrun (ENOBUFS) replies were lost:
    /// the queue is drained and every request without a reply is reported as ENOBUFS, state unknown.
    /// </summary>
    public static void Batch(
        INetlinkTransport socket,
        ReadOnlySpan<byte> datagram,
        uint firstSequence,
        Span<Errno> errnos,
        Span<string?> kernelMessages,
        Func<string> operation)
    {
        const Errno NoReply = (Errno)(-1);
        errnos.Fill(NoReply);
        Send(socket, datagram, operation);
        var last = errnos.Length - 1;
        var overrun = false;
        while (errnos[last] == NoReply)
        {
            ReadOnlySpan<byte> received;
            try
            {
                received = overrun ? socket.ReceiveIfAny("netlink receive") : socket.Receive("netlink receive");
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOBUFS)
            {
                overrun = true;
                continue;
            }
            catch (NetlinkException e)
            {
                throw new NetlinkException(e.Errno, operation(), e.KernelMessage);
            }
            if (received.IsEmpty)
            {
                break;
            }
            foreach (var message in new MessageReader(received))
            {
                var index = unchecked(message.Sequence - firstSequence);
                if (message.PortId != socket.PortId || message.Type != NetlinkProtocol.NLMSG_ERROR || index >= (uint)errnos.Length || errnos[(int)index] != NoReply)
                {
                    continue;
                }
                errnos[(int)index] = Acknowledgement.Read(message, out kernelMessages[(int)index]);
            }
        }
        var unanswered = overrun ? Errno.ENOBUFS : Errno.None;
        for (var i = 0; i < errnos.Length; i++)
        {
            if (errnos[i] == NoReply)
            {
                errnos[i] = unanswered;
            }
        }
    }

    private static void DumpOnce(INetlinkTransport socket, Span<byte> request, Func<string> operation, MessageHandler handler)
    {
        var sequence = Stamp(socket, request);
        Send(socket, request, operation);
        var interrupted = false;
        while (true)
        {
            foreach (var message in new MessageReader(Receive(socket, operation)))
            {
                if (!IsReply(socket, message, sequence))
                {
                    continue;
                }
                interrupted |= (message.Flags & NetlinkProtocol.NLM_F_DUMP_INTR) != 0;
                switch (message.Type)
                {
                    case NetlinkProtocol.NLMSG_DONE:
                        // Since Linux 4.x NLMSG_DONE carries the dump's own error code.
                        if (message.Payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(message.Payload) is < 0 and var error)
                        {
                            throw new NetlinkException((Errno)(-error), operation());
                        }
                        if (interrupted)
                        {
                            throw new NetlinkDumpInterruptedException(operation());
                        }
                        return;
                    case NetlinkProtocol.NLMSG_ERROR:
                        var errno = Acknowledgement.Read(message, out var kernelMessage);
                        if (errno == Errno.None)
                        {
                            return;
                        }
                        throw new NetlinkException(errno, operation(), kernelMessage);
                    case NetlinkProtocol.NLMSG_NOOP:
                    case NetlinkProtocol.NLMSG_OVERRUN:
                        continue;
                    default:
                        handler(message);
                        break;
                }
            }
        }
    }

    // Interrupted: the table changed mid-dump. ENOBUFS: the kernel dropped part of the dump for us.
    // EMSGSIZE: a datagram outgrew the buffer, which has grown since.
    private static bool IsRetryable(NetlinkException e) =>
        e is NetlinkDumpInterruptedException || e.Errno is Errno.ENOBUFS or Errno.EMSGSIZE;

    private static bool IsReply(INetlinkTransport socket, NetlinkMessage message, uint sequence) =>
        message.Sequence == sequence && message.PortId == socket.PortId;

    /// <summary>Writes a fresh sequence number into the request header (nlmsg_seq at offset 8).</summary>
    private static uint Stamp(INetlinkTransport socket, Span<byte> request)
    {
        var sequence = socket.NextSequence();
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], sequence);
        return sequence;
    }

    private static void Send(INetlinkTransport socket, ReadOnlySpan<byte> request, Func<string> operation)
    {
        try
        {
            socket.Send(request, "netlink send");
        }
        catch (NetlinkException e)
        {
            throw new NetlinkException(e.Errno, operation(), e.KernelMessage);
        }
    }

    private static ReadOnlySpan<byte> Receive(INetlinkTransport socket, Func<string> operation)
    {
        try
        {
            return socket.Receive("netlink receive");
        }
        catch (NetlinkException e)
        {
            throw new NetlinkException(e.Errno, operation(), e.KernelMessage);
        }
    }
}
