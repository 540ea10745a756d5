namespace RoutedNet.Netlink;

/// <summary>Route type (RTN_* in linux/rtnetlink.h): the word before the prefix in `ip route` ("blackhole 10.244.1.0/24").</summary>
public enum RouteType : byte
{
    Unspecified = 0,
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Anycast = 4,
    Multicast = 5,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
    Throw = 9,
    Nat = 10,
}
