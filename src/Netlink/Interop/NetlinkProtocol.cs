namespace RoutedNet.Netlink.Interop;

/// <summary>
/// Netlink transport constants, spelled as in linux/netlink.h (checked against the header by
/// Netlink.Tests' HeaderConstantsTests).
/// </summary>
internal static class NetlinkProtocol
{
    public const int AF_NETLINK = 16;
    public const int NETLINK_ROUTE = 0;

    // Message types (linux/netlink.h).
    public const ushort NLMSG_NOOP = 0x1;
    public const ushort NLMSG_ERROR = 0x2;
    public const ushort NLMSG_DONE = 0x3;
    public const ushort NLMSG_OVERRUN = 0x4;

    // Flags for every request.
    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_DUMP_INTR = 0x10;

    // Modifiers to GET requests.
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    // Modifiers to NEW requests.
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    // Flags of an NLMSG_ERROR acknowledgement.
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;

    // Extended-ack attributes (enum nlmsgerr_attrs).
    public const ushort NLMSGERR_ATTR_MSG = 1;

    // Socket options at SOL_NETLINK.
    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    // Sizes of the fixed headers (struct nlmsghdr, struct nlmsgerr, struct nlattr/rtattr).
    public const int NlMsgHdrSize = 16;
    public const int NlMsgErrSize = 4 + NlMsgHdrSize;
    public const int RtAttrSize = 4;

    // nla_type high bits: nested / network byte order markers, masked off when reading.
    public const ushort NLA_F_NESTED = 1 << 15;
    public const ushort NLA_F_NET_BYTEORDER = 1 << 14;
    public const ushort AttributeTypeMask = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));
}
