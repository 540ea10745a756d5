using System.Net;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// Everything the agent should make true on this node, computed from the cluster's resources:
/// the inputs of the reconcilers and of the BGP backend. <see cref="Problems"/> lists resources
/// that were skipped as invalid (logged; the rest still applies). <see cref="NodeOwned"/> is what no
/// peer may override: the node's blocks, its pods' addresses outside them and its connected subnets.
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
    IReadOnlyList<IPNetwork> NodeOwned);
