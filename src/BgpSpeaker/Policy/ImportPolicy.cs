namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// What we accept from a peer. Safe by default for pod networking: nothing is accepted unless it
/// lies inside an allowed range (the IP pools, or an operator's list).
/// </summary>
public sealed record ImportPolicy
{
    /// <summary>Prefixes we accept; a route outside every range is dropped. Empty accepts nothing.</summary>
    public IReadOnlyList<PrefixRange> Allowed { get; init; } = [];

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
