namespace RoutedNet.Netlink.Interop;

/// <summary>
/// Per-interface settings over rtnetlink, spelled as in linux/if_link.h, linux/rtnetlink.h and
/// linux/neighbour.h (checked by HeaderConstantsTests): IFLA_AF_SPEC → AF_INET → IFLA_INET_CONF
/// in an RTM_NEWLINK sets net.ipv4.conf.IF.*; RTM_SETNEIGHTBL with NDTA_PARMS sets net.ipv4.neigh.IF.*.
/// </summary>
internal static class DeviceSettingsH
{
    public const ushort IFLA_AF_SPEC = 26;
    public const ushort IFLA_INET_CONF = 1;

    public const ushort RTM_SETNEIGHTBL = 67;
    public const ushort NDTA_NAME = 1;
    public const ushort NDTA_PARMS = 6;
    public const ushort NDTPA_IFINDEX = 1;
    public const ushort NDTPA_PROXY_DELAY = 13;

    /// <summary>struct ndtmsg { u8 ndtm_family; u8 pad1; u16 pad2; }</summary>
    public const int NdtMsgSize = 4;
}
