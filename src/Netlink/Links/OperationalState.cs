namespace RoutedNet.Netlink;

/// <summary>IFLA_OPERSTATE (RFC 2863 states, linux/if.h IF_OPER_*), the `state` column of `ip link`.</summary>
public enum OperationalState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
