namespace RoutedNet.Netlink;

/// <summary>Well-known routing table ids (enum rt_class_t); any other uint is a valid table.</summary>
public static class RouteTable
{
    public const uint Default = 253;
    public const uint Main = 254;
    public const uint Local = 255;
}
