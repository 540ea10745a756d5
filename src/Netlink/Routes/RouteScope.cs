namespace RoutedNet.Netlink;

/// <summary>Route and address scope (enum rt_scope_t in linux/rtnetlink.h), `scope` in `ip route`/`ip addr`.</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
