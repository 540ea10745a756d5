namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// What we accept from a peer: never a route inside one of <see cref="Refused"/>; then the first of
/// <see cref="Rules"/> that matches decides (the peer's BGPFilters); a route no rule matches is
/// accepted when it lies inside one of <see cref="Allowed"/> (the defaults). Nothing is accepted
/// unless a rule or a range allows it (empty lists accept nothing).
/// </summary>
public sealed record ImportPolicy
{
    /// <summary>Prefixes we accept; a route outside every range is dropped. Empty accepts nothing.</summary>
    public IReadOnlyList<PrefixRange> Allowed { get; init; } = [];

    /// <summary>
    /// Prefixes never accepted, even inside <see cref="Allowed"/>: for a node, what would override its
    /// own routes (its blocks, its pods, its connected subnets) if a peer announced it.
    /// </summary>
    public IReadOnlyList<PrefixRange> Refused { get; init; } = [];

    /// <summary>
    /// Prefixes taken from this peer only to pass on, even inside <see cref="Refused"/>, and never
    /// installed in the kernel: a route reflector takes its clients' Service routes this way, so
    /// it reflects every node's VIPs without routing its own traffic for them to another node.
    /// </summary>
    public IReadOnlyList<PrefixRange> PassOnOnly { get; init; } = [];

    /// <summary>Ordered rules tried before <see cref="Allowed"/>: the first that matches accepts or rejects.</summary>
    public IReadOnlyList<FilterRule> Rules { get; init; } = [];

    /// <summary>
    /// How often our own AS may appear in a path from an eBGP peer before it is taken for a loop
    /// (RFC 4271 §9.1.2 says once; BIRD's <c>allow local as N</c>, Cisco's <c>allowas-in N</c>, Calico's
    /// <c>numAllowedLocalASNumbers</c>): for designs where every rack reuses one AS and the ToR does not override it.
    /// </summary>
    public int AllowedLocalAsOccurrences { get; init; }

    /// <summary>More accepted prefixes than this ends the session with Cease/Maximum Number of Prefixes Reached (RFC 4486).</summary>
    public int? MaxPrefixes { get; init; }

    /// <summary>
    /// After a max-prefix trip the session stays down (Idle) until <see cref="BgpSpeaker.ResetPeerAsync"/>,
    /// or, when this is set, restarts once this long has passed. Never an immediate retry: the peer
    /// would send the same table and trip again, in a loop.
    /// </summary>
    public TimeSpan? MaxPrefixRestartAfter { get; init; }

    /// <summary>Accepts every prefix (for a trusted router; not a pod-networking default).</summary>
    public static ImportPolicy AcceptAll { get; } = new()
    {
        Allowed = [PrefixRange.Parse("0.0.0.0/0"), PrefixRange.Parse("::/0")],
    };

    public bool Accepts(RibPrefix prefix)
    {
        if (MatchesAny(Refused, prefix) && !PassesOnOnly(prefix))
        {
            return false;
        }
        if (Rules.Count != 0 && FilterRules.FirstMatch(Rules, prefix, learned: true) is { } rule)
        {
            return rule.Action == FilterAction.Accept;
        }
        return MatchesAny(Allowed, prefix);
    }

    // By value: the node agent builds a new policy for every change it applies, and a policy that
    // only looked different would make the speaker ask every peer for a route refresh.
    public bool Equals(ImportPolicy? other) =>
        other is not null
        && MaxPrefixes == other.MaxPrefixes
        && MaxPrefixRestartAfter == other.MaxPrefixRestartAfter
        && AllowedLocalAsOccurrences == other.AllowedLocalAsOccurrences
        && Rules.SequenceEqual(other.Rules)
        && Allowed.SequenceEqual(other.Allowed)
        && Refused.SequenceEqual(other.Refused)
        && PassOnOnly.SequenceEqual(other.PassOnOnly);

    public override int GetHashCode() => HashCode.Combine(Allowed.Count, Refused.Count, Rules.Count, MaxPrefixes, MaxPrefixRestartAfter, AllowedLocalAsOccurrences);

    /// <summary>Whether an accepted <paramref name="prefix"/> is only passed on (<see cref="PassOnOnly"/>); the usual empty list costs one Count check.</summary>
    public bool PassesOnOnly(RibPrefix prefix) => PassOnOnly.Count != 0 && MatchesAny(PassOnOnly, prefix);

    private static bool MatchesAny(IReadOnlyList<PrefixRange> ranges, RibPrefix prefix)
    {
        // Indexed: a foreach over the interface would allocate an enumerator for every prefix.
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Matches(prefix))
            {
                return true;
            }
        }
        return false;
    }
}
