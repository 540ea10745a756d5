using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink.Wire;

/// <summary>
/// Reads an NLMSG_ERROR payload (an ack when error is 0).
/// <code>
/// struct nlmsgerr { int error; struct nlmsghdr msg; }  followed by the rest of the request unless
/// NLM_F_CAPPED, then extended-ack TLVs (NLMSGERR_ATTR_MSG, ...) when NLM_F_ACK_TLVS.
/// </code>
/// </summary>
internal static class Acknowledgement
{
    public static Errno Read(NetlinkMessage message, out string? kernelMessage)
    {
        kernelMessage = null;
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            throw new InvalidDataException($"NLMSG_ERROR of {payload.Length} bytes");
        }
        var errno = (Errno)(-BinaryPrimitives.ReadInt32LittleEndian(payload));
        if ((message.Flags & NetlinkProtocol.NLM_F_ACK_TLVS) == 0 || payload.Length < NetlinkProtocol.NlMsgErrSize)
        {
            return errno;
        }
        var echoed = (message.Flags & NetlinkProtocol.NLM_F_CAPPED) != 0
            ? NetlinkProtocol.NlMsgHdrSize
            : Alignment.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]));
        var tlvStart = 4 + echoed;
        if (tlvStart > payload.Length)
        {
            return errno;
        }
        foreach (var attribute in new AttributeReader(payload[tlvStart..]))
        {
            if (attribute.Type == NetlinkProtocol.NLMSGERR_ATTR_MSG)
            {
                kernelMessage = attribute.AsString();
            }
        }
        return errno;
    }
}
