using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// The commit of an nfnetlink batch. The kernel processes every message (so it can report each
/// failure), answers every failed message with its error and the one sent with NLM_F_ACK (our
/// last) with an ack or its error, in message order, and applies the transaction only if none
/// failed. So once the last message is answered, every message without an error reply succeeded.
/// A refusal of the batch itself (a stale NFNL_BATCH_GENID: ERESTART) is one error on
/// BATCH_BEGIN's sequence and nothing else.
/// </summary>
internal static class NftConversation
{
    /// <summary>
    /// Sends the sealed batch and waits for the last of its <paramref name="count"/> messages to be answered. Returns the first
    /// failure: its message index (-1 for the batch itself), errno and kernel text; or Errno.None.
    /// </summary>
    public static (int Index, Errno Errno, string? KernelMessage) Commit(INetlinkTransport socket, ReadOnlySpan<byte> datagram, uint beginSequence, int count)
    {
        try
        {
            socket.Send(datagram, "nft commit");
        }
        catch (NetlinkException e)
        {
            return (-1, e.Errno, e.KernelMessage);
        }
        var lastAnswered = false;
        var failure = (Index: int.MaxValue, Errno: Errno.None, KernelMessage: (string?)null);
        while (!lastAnswered)
        {
            ReadOnlySpan<byte> received;
            try
            {
                received = socket.Receive("nft commit");
            }
            catch (NetlinkException e)
            {
                // ENOBUFS: acks were dropped; whether the batch applied is unknown: say so.
                return (-1, e.Errno, e.KernelMessage ?? "acknowledgements lost; read the ruleset back");
            }
            foreach (var message in new MessageReader(received))
            {
                if (message.PortId != socket.PortId || message.Type != NetlinkProtocol.NLMSG_ERROR)
                {
                    continue;
                }
                // Sequence numbers wrap: the distance from BATCH_BEGIN, taken modulo 2^32.
                var index = (long)unchecked(message.Sequence - beginSequence) - 1;
                var errno = Acknowledgement.Read(message, out var kernelMessage);
                if (index == -1 && errno != Errno.None)
                {
                    return (-1, errno, kernelMessage);
                }
                if (index < 0 || index >= count)
                {
                    continue;
                }
                lastAnswered |= index == count - 1;
                if (errno != Errno.None && index < failure.Index)
                {
                    failure = ((int)index, errno, kernelMessage);
                }
            }
        }
        return failure.Errno == Errno.None ? (0, Errno.None, null) : failure;
    }
}
