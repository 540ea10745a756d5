using System.Globalization;
using System.Text;

namespace RoutedNet.Netlink;

/// <summary>
/// Describes an operation in `ip` words for error messages ("route add 10.244.1.5/32 dev rn0123"),
/// so that an operator can read, and retype, what failed. Only built when something failed.
/// </summary>
internal static class OperationText
{
    public static string Verb(ChangeKind change) => change switch
    {
        ChangeKind.Add => "add",
        ChangeKind.Replace => "replace",
        _ => "del",
    };

    public static string Route(ChangeKind change, Route route, Func<int, string> linkName)
    {
        var text = new StringBuilder("route ").Append(Verb(change)).Append(' ');
        if (route.Type != RouteType.Unicast)
        {
            text.Append(route.Type.ToString().ToLowerInvariant()).Append(' ');
        }
        text.Append(route.Destination.PrefixLength == 0 ? "default" : route.Destination.ToString());
        if (route.Gateway is not null)
        {
            text.Append(" via ").Append(route.Gateway);
        }
        if (route.LinkIndex > 0)
        {
            text.Append(" dev ").Append(linkName(route.LinkIndex));
        }
        foreach (var nexthop in route.Nexthops)
        {
            text.Append(" nexthop");
            if (nexthop.Gateway is not null)
            {
                text.Append(" via ").Append(nexthop.Gateway);
            }
            if (nexthop.LinkIndex > 0)
            {
                text.Append(" dev ").Append(linkName(nexthop.LinkIndex));
            }
            text.Append(CultureInfo.InvariantCulture, $" weight {nexthop.Weight}");
        }
        if (route.Table != RouteTable.Main)
        {
            text.Append(CultureInfo.InvariantCulture, $" table {route.Table}");
        }
        if (route.Protocol != RoutedNet.Netlink.RouteProtocol.Boot)
        {
            text.Append(CultureInfo.InvariantCulture, $" proto {(byte)route.Protocol}");
        }
        if (route.Metric is { } metric)
        {
            text.Append(CultureInfo.InvariantCulture, $" metric {metric}");
        }
        if (route.OnLink)
        {
            text.Append(" onlink");
        }
        return text.ToString();
    }

    public static string Address(ChangeKind change, Address address, Func<int, string> linkName) =>
        $"address {Verb(change)} {address.Ip}/{address.PrefixLength} dev {linkName(address.LinkIndex)}";

    public static string Neighbour(ChangeKind change, Neighbour neighbour, Func<int, string> linkName) =>
        $"neigh {Verb(change)} {(neighbour.IsProxy ? "proxy " : "")}{neighbour.Ip}"
        + (neighbour.LinkAddress is null ? "" : $" lladdr {FormatMac(neighbour.LinkAddress.GetAddressBytes())}")
        + $" dev {linkName(neighbour.LinkIndex)}";

    public static string Link(string verb, string subject) => $"link {verb} {subject}";

    public static string FormatMac(ReadOnlySpan<byte> mac) =>
        string.Join(':', mac.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

}
