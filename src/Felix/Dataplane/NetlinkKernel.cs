using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Netlink;
using NetlinkRouteType = RoutedNet.Netlink.RouteType;

namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// <see cref="IKernelRoutes"/> over rtnetlink (src/Netlink), in the namespace the agent runs in.
/// Routes of ours are read back in the canonical shape the reconciler writes (a gateway route
/// without its resolved device), so that desired and actual compare equal. A batch that fails at
/// the socket level (not per route) is retried once on a fresh socket: a socket can be left
/// unusable by an overrun receive buffer (ENOBUFS), and one retry is what Calico's route table does.
/// </summary>
public sealed class NetlinkKernel : IKernelRoutes, IDisposable
{
    private static readonly RouteFilter MainTable = new() { Table = RouteTable.Main };

    private readonly KernelTargets _targets = new();
    private NetlinkHandle _handle = NetlinkHandle.Open();

    public IReadOnlyList<KernelRoute> ListRoutes()
    {
        var list = new RouteList();
        ScanRoutes(list);
        return list.Routes;
    }

    public void ScanRoutes(IKernelRouteSink sink)
    {
        var names = LinkNames();
        _targets.BeginScan();
        _handle.ScanRoutes(MainTable, (in RouteMessage route) => sink.Route(PrefixOf(route), _targets.Of(route, names), (byte)route.Protocol), sink.Restart);
    }

    public IReadOnlyList<RouteChangeResult> Apply(IReadOnlyList<RouteChange> changes)
    {
        var indexes = DeviceIndexes(changes);
        var batch = new RouteBatch();
        // The routes of a BGP batch come in runs sharing one target: the run's first route is
        // built in full and the rest copy it with their own destination (one object, not two).
        RouteTarget? runTarget = null;
        Route? runRoute = null;
        foreach (var change in changes)
        {
            var target = change.Route.Target;
            var viaGateways = !change.Delete && target.Device is null;
            Route route;
            if (viaGateways && ReferenceEquals(target, runTarget))
            {
                route = runRoute! with { Destination = change.Route.Destination };
            }
            else
            {
                route = ToRoute(change, indexes);
                (runTarget, runRoute) = viaGateways ? (target, route) : (null, null);
            }
            if (change.Delete)
            {
                batch.Delete(route);
            }
            else if (change.CreateOnly)
            {
                batch.Add(route);
            }
            else
            {
                batch.Replace(route);
            }
        }
        BatchResult outcome;
        try
        {
            outcome = _handle.Execute(batch);
        }
        catch (NetlinkException)
        {
            Reopen();
            outcome = _handle.Execute(batch);
        }
        var failures = outcome.Failures.ToDictionary(f => f.Index, f => f.Error);
        var results = new RouteChangeResult[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            var error = failures.GetValueOrDefault(i);
            results[i] = new RouteChangeResult(changes[i], error?.Message, error?.Errno == Errno.ESRCH, error?.Errno == Errno.EEXIST) { DeviceDown = error?.Errno == Errno.ENETDOWN };
        }
        return results;
    }

    /// <summary>
    /// The interface index of every device the batch routes to. A pod's ADD brings one or two:
    /// asked for by name (one RTM_GETLINK each) instead of a dump of every link on the node, which
    /// with hundreds of pod veths cost more than the route change itself. Many devices (a resync)
    /// take one dump. A device that is gone gets index 0, which the kernel refuses (ENODEV).
    /// </summary>
    private Dictionary<string, int> DeviceIndexes(IReadOnlyList<RouteChange> changes)
    {
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!change.Delete && change.Route.Target.Device is { } device)
            {
                indexes.TryAdd(device, 0);
            }
        }
        if (indexes.Count > MaxLookupsByName)
        {
            return _handle.ListLinks().ToDictionary(l => l.Name, l => l.Index, StringComparer.Ordinal);
        }
        foreach (var device in indexes.Keys.ToList())
        {
            indexes[device] = _handle.FindLink(device)?.Index ?? 0;
        }
        return indexes;
    }

    private const int MaxLookupsByName = 8;

    public IReadOnlyList<KernelLink> ListLinks() =>
        _handle.ListLinks().Select(l => new KernelLink(l.Index, l.Name)).ToList();

    public void Dispose() => _handle.Dispose();

    private Dictionary<int, string> LinkNames() =>
        _handle.ListLinks().ToDictionary(l => l.Index, l => l.Name);

    private static BgpPrefix PrefixOf(in RouteMessage route)
    {
        var octets = route.Destination;
        return route.Family == AddressFamily.InterNetwork
            ? BgpPrefix.FromIpv4(octets.IsEmpty ? 0 : BinaryPrimitives.ReadUInt32BigEndian(octets), route.PrefixLength)
            : BgpPrefix.FromIpv6(octets.IsEmpty ? 0 : BinaryPrimitives.ReadUInt128BigEndian(octets), route.PrefixLength);
    }

    private static Route ToRoute(RouteChange change, Dictionary<string, int> indexes)
    {
        var target = change.Route.Target;
        var route = new Route
        {
            Destination = change.Route.Destination,
            Protocol = RouteProtocol.RoutedNet,
            Type = target.Type == RouteType.Blackhole ? NetlinkRouteType.Blackhole : NetlinkRouteType.Unicast,
        };
        if (change.Delete)
        {
            // The kernel deletes the route of this prefix, type and protocol: never another owner's.
            return route;
        }
        if (target.Device is { } device)
        {
            // A device that vanished since the reconciler looked: index 0 makes the kernel answer ENODEV.
            return route with { LinkIndex = indexes.GetValueOrDefault(device) };
        }
        return target.Gateways.Count switch
        {
            0 => route,
            1 => route with { Gateway = target.Gateways[0] },
            _ => route with { Nexthops = target.Gateways.Select(g => new Nexthop { Gateway = g }).ToList() },
        };
    }

    /// <summary>Collects a scan for <see cref="ListRoutes"/>.</summary>
    private sealed class RouteList : IKernelRouteSink
    {
        public List<KernelRoute> Routes { get; } = [];

        public void Route(BgpPrefix destination, RouteTarget target, byte protocol) =>
            Routes.Add(new KernelRoute(destination.ToIPNetwork(), target, protocol));

        public void Restart() => Routes.Clear();
    }

    private void Reopen()
    {
        _handle.Dispose();
        _handle = NetlinkHandle.Open();
    }
}
