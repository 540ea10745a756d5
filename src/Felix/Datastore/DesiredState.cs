using System.Net;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Datastore.Services;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Everything the agent should make true on this node, computed from the cluster's resources:
/// the inputs of the reconcilers and of the BGP backend. <see cref="Problems"/> lists resources
/// that were skipped as invalid (logged; the rest still applies). <see cref="NodeOwned"/> is what no
/// peer may override: the node's blocks, its pods' addresses outside them, its connected subnets and
/// the Service ranges it announces. <see cref="Services"/> says why each Service prefix is announced;
/// its prefixes are in <see cref="Advertisements"/>, its ranges in <see cref="AllBlackholes"/>.
/// </summary>
public sealed record DesiredState(
    IReadOnlyDictionary<IPNetwork, RouteTarget> WorkloadRoutes,
    IReadOnlyDictionary<string, HostVeth> HostVeths,
    IReadOnlyDictionary<IPNetwork, RouteTarget> Blackholes,
    IReadOnlyCollection<IPNetwork> Advertisements,
    IReadOnlyList<BgpPeerConfig> Peers,
    IReadOnlyList<IPNetwork> Pools,
    uint AsNumber,
    string AsNumberSource,
    int ListenPort,
    IReadOnlyList<string> Problems,
    IReadOnlyList<IPNetwork> NodeOwned,
    ServiceAnnouncements Services)
{
    /// <summary>The kernel's blackholes: the node's blocks and the Service ranges (a block wins a tie).</summary>
    public IReadOnlyDictionary<IPNetwork, RouteTarget> AllBlackholes()
    {
        var all = new Dictionary<IPNetwork, RouteTarget>(Blackholes);
        foreach (var range in Services.Ranges)
        {
            all.TryAdd(range, RouteTarget.Blackhole);
        }
        return all;
    }
}
