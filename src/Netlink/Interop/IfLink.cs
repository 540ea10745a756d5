namespace RoutedNet.Netlink.Interop;

/// <summary>
/// Link attributes, spelled as in linux/if_link.h, linux/veth.h and linux/if.h (checked against
/// the headers by HeaderConstantsTests).
/// </summary>
internal static class IfLink
{
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_OPERSTATE = 16;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_GROUP = 27;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_LINK_NETNSID = 37;

    // enum IFLA_INFO_*
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;

    // linux/veth.h
    public const ushort VETH_INFO_PEER = 1;

    // enum net_device_flags (linux/if.h)
    public const uint IFF_UP = 1 << 0;

    // linux/if.h IFNAMSIZ: names are at most 15 bytes plus the NUL.
    public const int IFNAMSIZ = 16;
}
