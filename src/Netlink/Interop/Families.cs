using System.Net.Sockets;

namespace RoutedNet.Netlink.Interop;

/// <summary>AF_* numbers (linux/socket.h) for the families rtnetlink objects carry.</summary>
internal static class Families
{
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    public static byte ToNative(AddressFamily? family) => family switch
    {
        null => AF_UNSPEC,
        AddressFamily.InterNetwork => AF_INET,
        AddressFamily.InterNetworkV6 => AF_INET6,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only IPv4 and IPv6"),
    };

    public static AddressFamily? FromNative(byte family) => family switch
    {
        AF_INET => AddressFamily.InterNetwork,
        AF_INET6 => AddressFamily.InterNetworkV6,
        _ => null,
    };
}
