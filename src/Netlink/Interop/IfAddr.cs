namespace RoutedNet.Netlink.Interop;

/// <summary>Address attributes and flags, spelled as in linux/if_addr.h (checked by HeaderConstantsTests).</summary>
internal static class IfAddr
{
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_CACHEINFO = 6;
    public const ushort IFA_FLAGS = 8;
    public const ushort IFA_RT_PRIORITY = 9;

    public const uint IFA_F_SECONDARY = 0x01;
    public const uint IFA_F_NODAD = 0x02;
    public const uint IFA_F_OPTIMISTIC = 0x04;
    public const uint IFA_F_DADFAILED = 0x08;
    public const uint IFA_F_HOMEADDRESS = 0x10;
    public const uint IFA_F_DEPRECATED = 0x20;
    public const uint IFA_F_TENTATIVE = 0x40;
    public const uint IFA_F_PERMANENT = 0x80;
    public const uint IFA_F_MANAGETEMPADDR = 0x100;
    public const uint IFA_F_NOPREFIXROUTE = 0x200;
}
