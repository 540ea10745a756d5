using System.Net.Sockets;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// ADD's kernel work, in DESIGN.md "The packet path" order: the veth (peer born in the pod's
/// netns, host end MAC ee:ee:ee:ee:ee:ee), host sysctls, the pod's /32 (/128), its link-scope
/// route to 169.254.1.1 and default route, then the host's /32 route with our protocol number.
/// Anything that fails deletes the veth again, which takes its peer and every route through it.
/// </summary>
internal static class PodWiring
{
    /// <summary>
    /// The part that needs no address, so that it can run while IPAM allocates: the veth pair, the
    /// host end's IPv4 sysctls (set whatever the pod's families), the host end up (no carrier until
    /// the pod end follows) and accept_dad=0 on the pod end, which stays down. Returns both ends;
    /// on failure nothing is left. <paramref name="podIPv6Conf"/> is the pod's ipv6/conf directory,
    /// null on a kernel without IPv6.
    /// </summary>
    public static WiredPod CreateVeth(NetlinkHandle host, NetlinkHandle pod, SysctlDirectory? podIPv6Conf, VethPlan plan)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(plan);

        // A veth of that name is a leftover of an earlier sandbox of the same pod (the name is the
        // pod's identity); the runtime has given up on it, so it goes.
        if (host.FindLink(plan.HostVeth) is { } stale)
        {
            Unwire(host, stale.Index);
        }

        var veth = host.AddVeth(new VethPair
        {
            Name = plan.HostVeth,
            PeerName = plan.PodInterface,
            PeerNamespacePath = plan.Netns,
            Mtu = plan.Mtu ?? 0,
            Address = PacketPath.HostMac,
        });
        try
        {
            // Over rtnetlink: two messages instead of an open/write/close of a /proc/sys file per key.
            host.SetIPv4DeviceSettings(veth.Index, PacketPath.HostV4Conf);
            host.SetNeighbourProxyDelay(AddressFamily.InterNetwork, veth.Index, PacketPath.HostV4ProxyDelay);
            // Up now rather than after IPAM: it is one kernel round trip less once the addresses
            // are known. Nothing reaches it before the pod end is up, and that waits for the IPv6
            // sysctls (accept_ra=0 must hold before the pod can send anything).
            host.SetLinkUp(veth.Index);
            // The pod's address is unique by construction (IPAM); DAD would only hold it tentative.
            podIPv6Conf?.Set(plan.PodInterface, "accept_dad", "0");
            return new WiredPod(veth, pod.GetLink(plan.PodInterface));
        }
        catch
        {
            DeleteQuietly(host, veth.Index);
            throw;
        }
    }

    /// <summary>
    /// The rest, once IPAM has answered: IPv6 host sysctls when the pod has IPv6, the pod end up
    /// with its addresses and routes, the host routes. Returns the two ends as
    /// <see cref="CreateVeth"/> made them (names, MACs and MTUs do not change); on failure the
    /// veth is deleted.
    /// </summary>
    public static WiredPod Complete(NetlinkHandle host, NetlinkHandle pod, WiredPod made, WiringPlan plan)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(made);
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            if (plan.HasIPv6)
            {
                SetHostSysctls(made.HostVeth, PacketPath.HostV6);
            }
            ConfigurePodSide(pod, made.PodInterface, plan);
            AddHostRoutes(host, made.HostVeth, plan);
            return made;
        }
        catch
        {
            DeleteQuietly(host, made.HostVeth.Index);
            throw;
        }
    }

    /// <summary>Deletes the host veth (and so its peer and routes) if it exists; true when it did.</summary>
    public static bool Unwire(NetlinkHandle host, string hostVeth)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.FindLink(hostVeth) is { } link && Unwire(host, link.Index);
    }

    /// <summary>Deletes the host veth with this index (and so its peer and routes); true, also when a concurrent DEL got there first.</summary>
    public static bool Unwire(NetlinkHandle host, int hostVethIndex)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            host.DeleteLink(hostVethIndex);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            // A concurrent DEL got there first.
        }
        return true;
    }

    /// <summary>
    /// A DEL's first step: the host veth down and into <see cref="LinkGroups.DeletedPodVeths"/> (one
    /// message). Down makes the kernel refuse any new route through it, so the agent's reconciler
    /// cannot route the pod's address to it again; its remaining routes of ours are then removed.
    /// Afterwards the veth is inert and may be deleted later, with the rest of the group. False when
    /// it is gone already.
    /// </summary>
    public static bool Quiesce(NetlinkHandle host, int hostVethIndex)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            host.SetLinkDownInGroup(hostVethIndex, LinkGroups.DeletedPodVeths);
            RemoveHostRoutes(host, hostVethIndex);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            // Deleted meanwhile: by a concurrent DEL, or with the group by the agent (a route dump
            // naming a link that is gone fails with ENODEV too).
            return false;
        }
    }

    /// <summary>
    /// Deletes the host veth of that name if a DEL quiesced it (<see cref="Quiesce"/>) and the
    /// agent has not deleted it yet. True when it did.
    /// </summary>
    public static bool RemoveQuiesced(NetlinkHandle host, string hostVeth)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.FindLink(hostVeth) is { Group: LinkGroups.DeletedPodVeths } leftover && Unwire(host, leftover.Index);
    }

    /// <summary>
    /// Deletes the host routes of ours through the veth (the pod's /32 and /128) ahead of the veth
    /// itself, so that they are gone before IPAM releases the addresses; returns how many.
    /// </summary>
    public static int RemoveHostRoutes(NetlinkHandle host, int hostVethIndex)
    {
        ArgumentNullException.ThrowIfNull(host);
        var ours = host.ListRoutes(new RouteFilter { Table = RouteTable.Main, Protocol = RouteProtocol.RoutedNet, LinkIndex = hostVethIndex });
        foreach (var route in ours)
        {
            try
            {
                host.DeleteRoute(route);
            }
            catch (NetlinkException e) when (e.Errno == Errno.ESRCH)
            {
                // Gone already (the agent's reconciler, or a concurrent DEL).
            }
        }
        return ours.Count;
    }

    private static void SetHostSysctls(Link veth, IReadOnlyList<HostSysctl> sysctls)
    {
        foreach (var sysctl in sysctls)
        {
            InterfaceSysctls.Set(sysctl.Tree, veth.Name, sysctl.Key, sysctl.Value);
        }
    }

    /// <summary>The host veth sysctls this plan needs (IPv6 ones only when the pod has IPv6).</summary>
    public static IEnumerable<HostSysctl> SysctlsFor(WiringPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.HasIPv6 ? PacketPath.HostV4.Concat(PacketPath.HostV6) : PacketPath.HostV4;
    }

    private static void ConfigurePodSide(NetlinkHandle pod, Link eth, WiringPlan plan)
    {
        foreach (var address in plan.Addresses)
        {
            pod.AddAddress(new Address
            {
                LinkIndex = eth.Index,
                Ip = address.Address,
                PrefixLength = address.Host.PrefixLength,
                Flags = address.IsIPv6 ? AddressFlags.NoDad : default,
            });
        }
        pod.SetLinkUp(eth.Index);
        if (plan.HasIPv4)
        {
            pod.AddRoute(new Route { Destination = PacketPath.GatewayV4Host, LinkIndex = eth.Index });
            pod.AddRoute(new Route { Destination = PacketPath.DefaultV4, Gateway = PacketPath.GatewayV4, LinkIndex = eth.Index });
        }
        if (plan.HasIPv6)
        {
            pod.AddRoute(new Route { Destination = PacketPath.DefaultV6, Gateway = PacketPath.GatewayV6, LinkIndex = eth.Index });
        }
    }

    private static void AddHostRoutes(NetlinkHandle host, Link veth, WiringPlan plan)
    {
        foreach (var address in plan.Addresses)
        {
            var destination = address.HostNetwork;
            // Never replace a route someone else made: a stale or foreign route to this address
            // means two owners, and silently taking it over would cut the other one off. The node
            // may hold a full BGP table, so one FIB lookup finds a route to exactly this address at
            // any metric, where a dump would cost the table's size on every ADD; the exclusive add
            // catches what a lookup cannot show (blackhole, unreachable and prohibit routes).
            // The one route that is no conflict is the very one we would add: the node agent
            // routes a pod it has been told of, and it is told before this runs (ADD overlaps the
            // agent's policy programming with the wiring).
            if (host.MatchRoute(address.Address) is { Table: RouteTable.Main } match && match.Destination == destination)
            {
                if (IsPodRoute(match, veth))
                {
                    continue;
                }
                throw Conflict(host, destination, match);
            }
            try
            {
                host.AddRoute(new Route { Destination = destination, LinkIndex = veth.Index, Protocol = RouteProtocol.RoutedNet });
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
            {
                var existing = host.ListRoutes(new RouteFilter { Table = RouteTable.Main, Destination = destination });
                if (existing.Count == 0)
                {
                    throw NetlinkErrors.ToCni(e);
                }
                if (!IsPodRoute(existing[0], veth))
                {
                    throw Conflict(host, destination, existing[0]);
                }
            }
        }
    }

    /// <summary>A route of ours straight to this pod's veth: what <see cref="AddHostRoutes"/> would add.</summary>
    private static bool IsPodRoute(Route route, Link veth) =>
        route.LinkIndex == veth.Index && route.Protocol == RouteProtocol.RoutedNet && route.Gateway is null && route.Nexthops.Count == 0 && route.Type == RouteType.Unicast;

    private static CniException Conflict(NetlinkHandle host, System.Net.IPNetwork destination, Route route)
    {
        var owner = route.LinkIndex != 0 ? host.FindLinkName(route.LinkIndex) : null;
        var what = owner is not null ? $"interface {owner}" : $"a {route.Type.ToString().ToLowerInvariant()} route";
        return new CniException(
            CniErrorCode.RouteConflict,
            $"the node already routes {destination} to {what} (protocol {route.Protocol}); not replacing it",
            "remove the stale route or the pod that owns it; routednet never takes over a route it did not make");
    }

    private static string? FindLinkName(this NetlinkHandle host, int index)
    {
        try
        {
            return host.GetLink(index).Name;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
    }

    private static void DeleteQuietly(NetlinkHandle host, int index)
    {
        try
        {
            host.DeleteLink(index);
        }
        catch (NetlinkException e)
        {
            Console.Error.WriteLine($"routednet: rollback: {e.Message}");
        }
    }
}
