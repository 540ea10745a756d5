using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// What we advertise to a peer, and how. The first of <see cref="Rules"/> that matches a route
/// decides (the peer's BGPFilters); a route no rule matches follows the defaults: the prefixes we
/// originate (the node's own blocks), and with <see cref="Learned"/> routes learned from other
/// peers (a route reflector or a transit node), inside <see cref="Allowed"/> when that is set.
/// The protocol's own rules (never back to the sender, iBGP split horizon, RFC 4456) come first:
/// no rule can break them.
/// </summary>
public sealed record ExportPolicy
{
    public bool Originated { get; init; } = true;

    /// <summary>Also advertise best routes learned from other peers (subject to iBGP split horizon and RFC 4456).</summary>
    public bool Learned { get; init; }

    /// <summary>When set, only prefixes inside one of these ranges leave (on top of the two switches above).</summary>
    public IReadOnlyList<PrefixRange>? Allowed { get; init; }

    /// <summary>Ordered rules tried before the defaults: the first that matches accepts or rejects.</summary>
    public IReadOnlyList<FilterRule> Rules { get; init; } = [];

    /// <summary>The NEXT_HOP given to the peer.</summary>
    public NextHopMode NextHopMode { get; init; }

    /// <summary>LOCAL_PREF of every route sent to an iBGP peer (MetalLB's <c>localPref</c>); null keeps the route's, or the default. eBGP peers never receive LOCAL_PREF (RFC 4271 §5.1.5).</summary>
    public uint? LocalPreference { get; init; }

    /// <summary>Extra copies of our AS put in front of the AS_PATH towards an eBGP peer (so paths through this node look longer); 0 for none.</summary>
    public int AsPathPrepend { get; init; }

    /// <summary>Communities added per prefix: every entry whose CIDR holds the route's prefix adds its community.</summary>
    public IReadOnlyList<PrefixCommunity> PrefixCommunities { get; init; } = [];

    /// <summary>Standard communities (RFC 1997, high 16 bits = AS) added to everything we send.</summary>
    public IReadOnlyList<uint> AddCommunities { get; init; } = [];

    /// <summary>Large communities (RFC 8092) added to everything we send.</summary>
    public IReadOnlyList<LargeCommunity> AddLargeCommunities { get; init; } = [];

    public bool Permits(RibPrefix prefix)
    {
        if (Allowed is null)
        {
            return true;
        }
        // Indexed: a foreach over the interface would allocate an enumerator for every prefix.
        for (var i = 0; i < Allowed.Count; i++)
        {
            if (Allowed[i].Matches(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// By value, lists by their elements: the node agent builds a policy object per peer, and
    /// peers whose policies read the same share one export group (one Adj-RIB-Out, one encoding of
    /// each UPDATE); record equality would compare the lists by reference and share nothing.
    /// </summary>
    public bool Equals(ExportPolicy? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Originated == other.Originated
                && Learned == other.Learned
                && NextHopMode == other.NextHopMode
                && LocalPreference == other.LocalPreference
                && AsPathPrepend == other.AsPathPrepend
                && (Allowed is null ? other.Allowed is null : other.Allowed is not null && Allowed.SequenceEqual(other.Allowed))
                && Rules.SequenceEqual(other.Rules)
                && PrefixCommunities.SequenceEqual(other.PrefixCommunities)
                && AddCommunities.SequenceEqual(other.AddCommunities)
                && AddLargeCommunities.SequenceEqual(other.AddLargeCommunities)));

    public override int GetHashCode() =>
        HashCode.Combine(Originated, Learned, NextHopMode, LocalPreference, AsPathPrepend, Allowed?.Count ?? -1, Rules.Count, PrefixCommunities.Count + AddCommunities.Count + AddLargeCommunities.Count);
}
