using System.Diagnostics;
using System.Net;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// Routes converged = every node's kernel has, from the agent (protocol 80), a forwarding route
/// (not the blackhole) covering every pod address on every other node.
/// </summary>
internal static class Convergence
{
    public static IReadOnlyList<string> Missing(LabState state)
    {
        var missing = new List<string>();
        foreach (var node in state.Nodes)
        {
            using var handle = NetlinkHandle.OpenNamespace(LabTopology.NamespacePath(node.Namespace));
            var routes = handle.ListRoutes(new RouteFilter
            {
                Protocol = RouteProtocol.RoutedNet,
                Table = RouteTable.Main,
                Family = System.Net.Sockets.AddressFamily.InterNetwork,
            }).Where(r => r.Type == RouteType.Unicast && (r.Gateway is not null || r.Nexthops.Count > 0)).ToList();
            foreach (var pod in state.Pods.Where(p => p.Node != node.Name))
            {
                foreach (var address in pod.Addresses.Select(IPAddress.Parse))
                {
                    if (!routes.Any(r => r.Destination.Contains(address)))
                    {
                        missing.Add($"{node.Name} has no route to {pod.Name} ({address})");
                    }
                }
            }
        }
        return missing;
    }

    public static void Wait(LabState state, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> missing;
        while ((missing = Missing(state)).Count > 0)
        {
            if (clock.Elapsed > timeout)
            {
                throw new CtlException(CtlExitCode.Problem, $"routes not converged after {timeout.TotalSeconds:0} s: {string.Join("; ", missing.Take(5))}");
            }
            Thread.Sleep(100);
        }
    }
}
