using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// A BGPPeer's routing-policy settings as the agent applies them: its filters' rules flattened in
/// the order the peer lists the filters, next-hop mode, the local AS it presents, allowed
/// occurrences of our AS, GTSM, the source address, and the attributes set on what it is sent.
/// Compared by value: the agent computes a new one on every datastore change, and one that only
/// looked different would reconfigure the peer (and ask it for a route refresh).
/// </summary>
public sealed record BgpPeerPolicy
{
    public static BgpPeerPolicy Default { get; } = new();

    public IReadOnlyList<BgpFilterRule> Rules { get; init; } = [];

    public BgpNextHopMode NextHopMode { get; init; }

    public uint? LocalAsNumber { get; init; }

    public int AllowedLocalAsNumbers { get; init; }

    /// <summary>GTSM hop count (RFC 5082); null for off.</summary>
    public int? TtlSecurity { get; init; }

    /// <summary>False for sourceAddress None: no bound source, the kernel picks it (the next hop is still the node's address).</summary>
    public bool UseNodeIP { get; init; } = true;

    /// <summary>sourceAddress given as an address: the session is bound to it, and it is the next hop; null otherwise.</summary>
    public IPAddress? SourceAddress { get; init; }

    public uint? LocalPref { get; init; }

    public int AsPathPrepend { get; init; }

    /// <summary>BGPConfiguration prefixAdvertisements' communities: the same for every peer of the node.</summary>
    public IReadOnlyList<BgpPrefixCommunity> PrefixCommunities { get; init; } = [];

    public bool Equals(BgpPeerPolicy? other) =>
        other is not null
        && NextHopMode == other.NextHopMode
        && LocalAsNumber == other.LocalAsNumber
        && AllowedLocalAsNumbers == other.AllowedLocalAsNumbers
        && TtlSecurity == other.TtlSecurity
        && UseNodeIP == other.UseNodeIP
        && Equals(SourceAddress, other.SourceAddress)
        && LocalPref == other.LocalPref
        && AsPathPrepend == other.AsPathPrepend
        && Rules.SequenceEqual(other.Rules)
        && PrefixCommunities.SequenceEqual(other.PrefixCommunities);

    public override int GetHashCode() => HashCode.Combine(Rules.Count, NextHopMode, LocalAsNumber, AllowedLocalAsNumbers, TtlSecurity, UseNodeIP, SourceAddress, LocalPref);
}
