using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>A node's kernel routes as `ip route` prints them: what the agent installed from BGP (protocol 80).</summary>
internal static class KernelRoutes
{
    /// <summary>`ip route show PREFIX` in the node's main table; empty when there is none.</summary>
    public static string Show(NetNs node, string prefix) => node.Check("ip", "route", "show", prefix).Stdout.Trim();

    /// <summary>
    /// One route whose nexthop lines are exactly <paramref name="gateways"/>:
    /// "PREFIX proto 80 \n\tnexthop via A dev br0 weight 1 \n\tnexthop via B dev br0 weight 1".
    /// </summary>
    public static bool IsMultipath(NetNs node, string prefix, params string[] gateways)
    {
        var lines = Show(node, prefix).Split('\n', StringSplitOptions.TrimEntries);
        var hops = lines.Where(l => l.StartsWith("nexthop via ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal);
        return lines.Count(l => l.StartsWith(Printed(prefix) + " ", StringComparison.Ordinal)) == 1
            && hops.SequenceEqual(gateways.Order(StringComparer.Ordinal));
    }

    /// <summary>One route, "PREFIX via GATEWAY dev br0 proto 80", with no nexthop lines.</summary>
    public static bool IsSinglePath(NetNs node, string prefix, string gateway)
    {
        var route = Show(node, prefix);
        return !route.Contains('\n', StringComparison.Ordinal)
            && route.StartsWith($"{Printed(prefix)} via {gateway} ", StringComparison.Ordinal)
            && route.Contains("proto 80", StringComparison.Ordinal);
    }

    /// <summary>How `ip route` prints a prefix: a host route (/32, /128) without its length.</summary>
    private static string Printed(string prefix) =>
        prefix.EndsWith("/32", StringComparison.Ordinal) || prefix.EndsWith("/128", StringComparison.Ordinal) ? prefix[..prefix.IndexOf('/', StringComparison.Ordinal)] : prefix;
}
