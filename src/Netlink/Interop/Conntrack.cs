namespace RoutedNet.Netlink.Interop;

/// <summary>ctnetlink (conntrack over nfnetlink): constants spelled as in linux/netfilter/nfnetlink_conntrack.h.</summary>
internal static class Conntrack
{
    public const ushort NFNL_SUBSYS_CTNETLINK = 1;

    public const ushort IPCTNL_MSG_CT_NEW = 0;
    public const ushort IPCTNL_MSG_CT_GET = 1;
    public const ushort IPCTNL_MSG_CT_DELETE = 2;

    public const ushort CTA_TUPLE_ORIG = 1;
    public const ushort CTA_MARK = 8;
    public const ushort CTA_ZONE = 18;
    public const ushort CTA_MARK_MASK = 21;

    public const ushort CTA_TUPLE_IP = 1;
    public const ushort CTA_TUPLE_PROTO = 2;

    public const ushort CTA_IP_V4_SRC = 1;
    public const ushort CTA_IP_V4_DST = 2;
    public const ushort CTA_IP_V6_SRC = 3;
    public const ushort CTA_IP_V6_DST = 4;

    public const ushort CTA_PROTO_NUM = 1;
    public const ushort CTA_PROTO_SRC_PORT = 2;
    public const ushort CTA_PROTO_DST_PORT = 3;
    public const ushort CTA_PROTO_ICMP_TYPE = 5;
    public const ushort CTA_PROTO_ICMP_CODE = 6;
    public const ushort CTA_PROTO_ICMPV6_TYPE = 8;
    public const ushort CTA_PROTO_ICMPV6_CODE = 9;
}
