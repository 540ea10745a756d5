using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// Which learned routes the node takes, as Calico does with a top-of-rack router: from a BGPPeer
/// everything (a default route, the rack's prefixes, other nodes' blocks), from the node-to-node
/// mesh only prefixes inside the IP pools (all a node announces is its blocks and borrowed pod
/// addresses), and from nobody a prefix inside <see cref="NodeOwned"/>: a route there would be more
/// specific than, or replace, one of the node's own and pull its pods' or its subnet's traffic away.
/// Max-prefix applies on top, per peer. Nor a prefix inside <see cref="ServiceRanges"/> (the
/// node answers VIPs itself), except that a route reflector takes its clients' ones to reflect
/// them, without installing them (issue 17: the RR keeps every node's VIP paths for the racks).
/// </summary>
/// <param name="Pools">The IP pools' CIDRs.</param>
/// <param name="NodeOwned">The node's blocks, its pods' addresses outside them, and its connected subnets.</param>
public sealed record BgpImport(IReadOnlyList<IPNetwork> Pools, IReadOnlyList<IPNetwork> NodeOwned)
{
    public static BgpImport Nothing { get; } = new([], []);

    /// <summary>Every Service range BGPConfiguration lists (<see cref="RoutedNet.Datastore.Services.ServiceAnnouncements.Configured"/>).</summary>
    public IReadOnlyList<IPNetwork> ServiceRanges { get; init; } = [];

    public bool Accepts(PeerType type, IPNetwork prefix)
    {
        foreach (var owned in NodeOwned)
        {
            if (Inside(prefix, owned))
            {
                return false;
            }
        }
        if (type != PeerType.Mesh)
        {
            return true;
        }
        foreach (var pool in Pools)
        {
            if (Inside(prefix, pool))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when <paramref name="prefix"/> equals <paramref name="range"/> or lies inside it.</summary>
    public static bool Inside(IPNetwork prefix, IPNetwork range) =>
        prefix.BaseAddress.AddressFamily == range.BaseAddress.AddressFamily
        && prefix.PrefixLength >= range.PrefixLength
        && range.Contains(prefix.BaseAddress);

    // By value: a new import is built for every datastore change, and one that only looked
    // different would reconfigure every peer (and ask each for a route refresh).
    public bool Equals(BgpImport? other) =>
        other is not null && Pools.SequenceEqual(other.Pools) && NodeOwned.SequenceEqual(other.NodeOwned) && ServiceRanges.SequenceEqual(other.ServiceRanges);

    public override int GetHashCode() => HashCode.Combine(Pools.Count, NodeOwned.Count);
}
