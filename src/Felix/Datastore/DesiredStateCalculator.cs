using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Selectors;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Datastore.Services;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Turns the cluster's resources into this node's <see cref="DesiredState"/> (Calico's
/// calculation graph, in one pure function: the same view always gives the same answer, which is
/// what the unit tests pin down).
/// </summary>
public static class DesiredStateCalculator
{
    /// <summary>The AS of a node when neither its Node nor the BGPConfiguration sets one (Calico's default).</summary>
    public const uint DefaultAsNumber = 64512;

    public const int DefaultBgpPort = 179;

    public static DesiredState Compute(ClusterView view, string nodeName)
    {
        var problems = new List<string>();
        var me = view.Nodes.Items.GetValueOrDefault(nodeName);
        var config = view.BgpConfigurations.Items.GetValueOrDefault(BGPConfigurationSpec.DefaultName)?.Spec;
        var clusterAs = config?.AsNumber ?? DefaultAsNumber;
        var (asNumber, asSource) = me?.Spec.AsNumber is { } own
            ? (own, "node")
            : config?.AsNumber is { } fromConfig ? (fromConfig, "bgp-configuration") : (DefaultAsNumber, "default");

        var blocks = view.Blocks.Items.Values
            .Where(b => b.Spec.Affinity == $"host:{nodeName}" && !b.Spec.Deleted)
            .Select(b => TryParse(b.Spec.Cidr, $"IPAMBlock {b.Name}", problems))
            .OfType<IPNetwork>()
            .ToDictionary(b => b, _ => RouteTarget.Blackhole);

        var (workloadRoutes, veths) = LocalWorkloads(view, nodeName, problems);
        var borrowed = workloadRoutes.Keys.Where(ip => !blocks.Keys.Any(b => b.Contains(ip.BaseAddress)));
        var services = ServiceAnnouncer.Compute(config, me, nodeName, view.Services.Items.Values);
        var advertisements = blocks.Keys.Concat(borrowed).Concat(services.Prefixes.Keys).ToHashSet();

        var peers = Peers(view, me, nodeName, clusterAs, config?.NodeToNodeMesh ?? true, problems);
        if (BgpPeerPolicies.PrefixCommunities(config, problems) is { Count: > 0 } communities)
        {
            // Calico adds them on every session (mesh too): a route keeps its communities wherever it goes.
            peers = [.. peers.Select(p => p with { Policy = p.EffectivePolicy with { PrefixCommunities = communities } })];
        }
        var pools = view.Pools.Items.Values
            .Select(p => TryParse(p.Spec.Cidr, $"IPPool {p.Name}", problems))
            .OfType<IPNetwork>()
            .ToList();
        // The Service ranges too: a node never needs a route into them (a service proxy answers
        // VIPs locally), and one learned back from the router would loop traffic to it.
        var owned = NodeOwned(blocks.Keys.Concat(workloadRoutes.Keys).Concat(ConnectedSubnets(me)).Concat(services.Ranges));
        return new DesiredState(workloadRoutes, veths, blocks, advertisements, peers, pools, asNumber, asSource, config?.ListenPort ?? DefaultBgpPort, problems, owned, services);
    }

    /// <summary>The subnets of the node's own addresses (Node.spec.addresses are CIDRs with host bits, e.g. 172.18.0.2/24).</summary>
    private static IEnumerable<IPNetwork> ConnectedSubnets(Node? me) =>
        me?.Spec.Addresses.Select(SubnetOf).OfType<IPNetwork>() ?? [];

    private static IPNetwork? SubnetOf(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        if (length > bytes.Length * 8)
        {
            return null;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(length - (i * 8), 0, 8)));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }

    /// <summary>
    /// Sorted, without a prefix that lies inside another: the pods of a block add nothing to it, so
    /// a pod coming or going does not change the import of every peer (which would ask each for a
    /// route refresh); only a borrowed address (outside the node's blocks) is listed on its own.
    /// </summary>
    private static List<IPNetwork> NodeOwned(IEnumerable<IPNetwork> prefixes)
    {
        var sorted = prefixes.Distinct().OrderBy(p => p.PrefixLength).ToList();
        var kept = new List<IPNetwork>();
        foreach (var prefix in sorted)
        {
            if (!kept.Any(k => BgpImport.Inside(prefix, k)))
            {
                kept.Add(prefix);
            }
        }
        kept.Sort(NetworkOrder.Instance);
        return kept;
    }

    /// <summary>The first address of <paramref name="family"/> in a Node's addresses (written as CIDRs).</summary>
    public static IPAddress? AddressOf(Node node, AddressFamily family) =>
        node.Spec.Addresses
            .Select(a => IPNetwork.TryParse(a, out _) && IPAddress.TryParse(a.Split('/')[0], out var ip) ? ip : null)
            .FirstOrDefault(ip => ip?.AddressFamily == family);

    private static (Dictionary<IPNetwork, RouteTarget>, Dictionary<string, HostVeth>) LocalWorkloads(
        ClusterView view, string nodeName, List<string> problems)
    {
        var routes = new Dictionary<IPNetwork, RouteTarget>();
        var veths = new Dictionary<string, HostVeth>(StringComparer.Ordinal);
        // The plugin's own records first: they say what is wired on this node now, with or without
        // a datastore; a WorkloadEndpoint that agrees adds nothing, one that disagrees is reported.
        foreach (var attachment in view.LocalAttachments)
        {
            foreach (var address in attachment.Addresses)
            {
                AddWorkloadRoute(routes, veths, address, attachment.HostInterface, $"attachment record {attachment.Network}/{attachment.HostInterface}", problems);
            }
        }
        foreach (var endpoint in view.WorkloadEndpoints.InPartition(nodeName).Values)
        {
            if (string.IsNullOrEmpty(endpoint.Spec.HostInterface))
            {
                problems.Add($"WorkloadEndpoint {endpoint.Name}: no hostInterface, cannot route to it");
                continue;
            }
            var device = endpoint.Spec.HostInterface;
            // The store refuses these since issue 13; one written before must still not get the
            // workload sysctls (proxy_arp on eth0 would answer ARP for the whole network).
            if (!WorkloadEndpointSpec.IsWorkloadInterface(device))
            {
                problems.Add($"WorkloadEndpoint {endpoint.Name}: hostInterface \"{device}\" is not a workload interface, not routing to it");
                continue;
            }
            foreach (var text in endpoint.Spec.IPNetworks)
            {
                if (TryParse(text, $"WorkloadEndpoint {endpoint.Name}", problems) is not { } address)
                {
                    continue;
                }
                AddWorkloadRoute(routes, veths, address, device, $"WorkloadEndpoint {endpoint.Name}", problems);
            }
        }
        return (routes, veths);
    }

    private static void AddWorkloadRoute(
        Dictionary<IPNetwork, RouteTarget> routes, Dictionary<string, HostVeth> veths, IPNetwork address, string device, string owner, List<string> problems)
    {
        var target = RouteTarget.ToDevice(device);
        if (!routes.TryAdd(address, target))
        {
            if (!routes[address].Equals(target))
            {
                problems.Add($"{owner}: {address} is already routed to {routes[address]}");
            }
            return;
        }
        var ipv4 = address.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var known = veths.GetValueOrDefault(device);
        veths[device] = new HostVeth(known.IPv4 || ipv4, known.IPv6 || !ipv4);
    }

    private static List<BgpPeerConfig> Peers(ClusterView view, Node? me, string nodeName, uint clusterAs, bool mesh, List<string> problems)
    {
        var mine = me?.Spec.Addresses.Select(a => a.Split('/')[0]).ToHashSet(StringComparer.Ordinal) ?? [];
        var peers = new Dictionary<IPAddress, BgpPeerConfig>();
        // Explicit BGPPeers first: when one names a node's address, its settings (password, timers) win over the mesh.
        foreach (var peer in view.Peers.Items.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (PeerTypeFor(peer.Spec, me, nodeName, problems, peer.Name) is not { } type)
            {
                continue;
            }
            if (!IPAddress.TryParse(peer.Spec.PeerIP, out var address))
            {
                problems.Add($"BGPPeer {peer.Name}: peerIP '{peer.Spec.PeerIP}' is not an IP address");
                continue;
            }
            if (mine.Contains(address.ToString()))
            {
                continue;
            }
            if (!TryPassword(view, peer, problems, out var password))
            {
                continue;
            }
            // Towards another node (a route reflector and its clients) one side listens only, as in
            // the mesh and as Calico does: two speakers that both connect, fail alike and back off
            // alike keep refusing each other's connections while idle and never meet.
            var towardsNode = me is not null && view.Nodes.Items.Values.Any(n => n.Name != nodeName && AddressOf(n, address.AddressFamily) is { } theirs && theirs.Equals(address));
            var passive = towardsNode && AddressOf(me!, address.AddressFamily) is { } own && Compare(own, address) > 0;
            peers.TryAdd(address, new BgpPeerConfig(
                address,
                peer.Spec.AsNumber,
                type,
                $"BGPPeer/{peer.Name}",
                password,
                peer.Spec.KeepaliveTime is { } keepalive ? TimeSpan.FromSeconds(keepalive) : null,
                peer.Spec.HoldTime is { } hold ? TimeSpan.FromSeconds(hold) : null,
                peer.Spec.RouteReflectorClient,
                peer.Spec.MaxPrefixes,
                Passive: passive,
                Port: peer.Spec.Port ?? DefaultBgpPort,
                Bfd: BfdOf(peer.Spec.Bfd),
                Policy: BgpPeerPolicies.Of(peer, view.BgpFilters, problems),
                TowardsNode: towardsNode));
        }
        if (mesh && me is not null)
        {
            foreach (var other in view.Nodes.Items.Values.Where(n => n.Name != nodeName).OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                foreach (var family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
                {
                    if (AddressOf(me, family) is not { } local || AddressOf(other, family) is not { } remote)
                    {
                        continue;
                    }
                    // One side listens only (the higher address), as Calico's mesh does: a single
                    // connection per pair, so graceful restart never races a connection collision.
                    peers.TryAdd(remote, new BgpPeerConfig(
                        remote, other.Spec.AsNumber ?? clusterAs, PeerType.Mesh, $"Node/{other.Name}", Passive: Compare(local, remote) > 0, TowardsNode: true));
                }
            }
        }
        return peers.Values.ToList();
    }

    // A peer whose key is in a Secret waits for the agent to have read it: without the key the
    // session could only fail at the peer (or, worse, come up unauthenticated with a peer that
    // does not insist), so it is left out, with the reason, until the key is there.
    private static bool TryPassword(ClusterView view, BGPPeer peer, List<string> problems, out string? password)
    {
        password = peer.Spec.Password;
        if (peer.Spec.PasswordSecretRef is not { } secret)
        {
            return true;
        }
        if (view.PeerPasswords is null)
        {
            problems.Add($"BGPPeer {peer.Name}: spec.passwordSecretRef needs the kubernetes datastore (the key is read from a Secret); peer left out");
            return false;
        }
        if (view.PeerPasswords.TryGetValue(secret, out password))
        {
            return true;
        }
        problems.Add($"BGPPeer {peer.Name}: no key \"{secret.Key}\" read from Secret {view.PeerPasswordNamespace}/{secret.Name} (yet); peer left out until it is");
        return false;
    }

    private static PeerType? PeerTypeFor(BGPPeerSpec spec, Node? me, string nodeName, List<string> problems, string name)
    {
        if (spec.Node is not null)
        {
            return spec.Node == nodeName ? PeerType.NodeSpecific : null;
        }
        if (spec.NodeSelector is null)
        {
            return PeerType.Global;
        }
        try
        {
            return Selector.Parse(spec.NodeSelector).Matches(me?.Metadata.Labels) ? PeerType.NodeSpecific : null;
        }
        catch (FormatException e)
        {
            problems.Add($"BGPPeer {name}: {e.Message}");
            return null;
        }
    }

    private static IPNetwork? TryParse(string text, string owner, List<string> problems)
    {
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }
        problems.Add($"{owner}: '{text}' is not a CIDR");
        return null;
    }

    private static int Compare(IPAddress a, IPAddress b) =>
        a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());

    // spec.bfd with its defaults filled in (validated at write: the ranges hold).
    private static BgpPeerBfd? BfdOf(BGPPeerBfd? bfd) => bfd is null ? null : new BgpPeerBfd(
        new RoutedNet.BgpSpeaker.Bfd.BfdTimers(
            TimeSpan.FromMilliseconds(bfd.TransmitInterval ?? BGPPeerBfd.DefaultInterval),
            TimeSpan.FromMilliseconds(bfd.ReceiveInterval ?? BGPPeerBfd.DefaultInterval),
            (byte)(bfd.DetectMultiplier ?? BGPPeerBfd.DefaultMultiplier)),
        Graceful: bfd.Mode == BGPPeerBfd.ModeGraceful,
        MinimumTtl: (byte)(bfd.MinimumTtl ?? BGPPeerBfd.DefaultMinimumTtl));
}
