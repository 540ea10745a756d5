namespace RoutedNet.Netlink.Wire;

/// <summary>NLMSG_ALIGN / RTA_ALIGN: netlink headers and attributes start on 4-byte boundaries.</summary>
internal static class Alignment
{
    public const int Boundary = 4;

    public static int Align(int length) => (length + Boundary - 1) & ~(Boundary - 1);
}
