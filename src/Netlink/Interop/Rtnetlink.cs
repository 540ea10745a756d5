namespace RoutedNet.Netlink.Interop;

/// <summary>
/// rtnetlink message types and route constants, spelled as in linux/rtnetlink.h (checked against
/// the header by HeaderConstantsTests).
/// </summary>
internal static class Rtnetlink
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;

    // enum rtattr_type_t
    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_MULTIPATH = 9;
    public const ushort RTA_TABLE = 15;

    // struct rtnexthop flags
    public const byte RTNH_F_ONLINK = 4;

    // rtm_flags
    public const uint RTM_F_CLONED = 0x200;
    public const uint RTM_F_FIB_MATCH = 0x2000;

    // rtm_table values that fit the 8-bit field; larger ids go in RTA_TABLE.
    public const byte RT_TABLE_UNSPEC = 0;

    // Sizes: struct rtmsg, struct rtnexthop, struct ifinfomsg, struct ifaddrmsg, struct ndmsg.
    public const int RtMsgSize = 12;
    public const int RtNextHopSize = 8;
    public const int IfInfoMsgSize = 16;
    public const int IfAddrMsgSize = 8;
    public const int NdMsgSize = 12;
}
