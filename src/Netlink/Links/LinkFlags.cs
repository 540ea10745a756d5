namespace RoutedNet.Netlink;

/// <summary>Interface flags (enum net_device_flags in linux/if.h), as `ip link` prints them.</summary>
[Flags]
public enum LinkFlags : uint
{
    None = 0,
    Up = 1 << 0,
    Broadcast = 1 << 1,
    Loopback = 1 << 3,
    PointToPoint = 1 << 4,
    Running = 1 << 6,
    NoArp = 1 << 7,
    Promiscuous = 1 << 8,
    Multicast = 1 << 12,
    LowerUp = 1 << 16,
}
