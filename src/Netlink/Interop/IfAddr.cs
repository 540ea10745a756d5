namespace RoutedNet.Netlink.Interop;

/// <summary>Address attributes, spelled as in linux/if_addr.h (checked by HeaderConstantsTests).</summary>
internal static class IfAddr
{
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_FLAGS = 8;
}
