using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// What we advertise to a peer. By default only the prefixes we originate (the node's own blocks);
/// <see cref="Learned"/> adds routes learned from other peers (a route reflector or a transit node).
/// </summary>
public sealed record ExportPolicy
{
    public bool Originated { get; init; } = true;

    /// <summary>Also advertise best routes learned from other peers (subject to iBGP split horizon and RFC 4456).</summary>
    public bool Learned { get; init; }

    /// <summary>When set, only prefixes inside one of these ranges leave (on top of the two switches above).</summary>
    public IReadOnlyList<PrefixRange>? Allowed { get; init; }

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
}
