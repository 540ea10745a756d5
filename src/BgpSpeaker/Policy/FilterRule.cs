namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// One ordered rule of an import or export filter (Calico's BGPFilter rule): it matches a route
/// of its family whose prefix passes <see cref="Match"/> against <see cref="Cidr"/> (every prefix
/// when there is none), whose length lies in <see cref="MinLength"/>..<see cref="MaxLength"/>, and,
/// with <see cref="LearnedOnly"/> (Calico's <c>source: RemotePeers</c>), that was learned from a
/// peer rather than originated here. The first rule that matches decides (<see cref="FilterRules"/>).
/// </summary>
/// <param name="IPv6">The family the rule applies to (the list it came from: importV4 or importV6, …).</param>
/// <param name="Name">Where the rule comes from, for status and logs ("BGPFilter/NAME importV4[0]").</param>
public sealed record FilterRule(
    bool IPv6,
    FilterAction Action,
    RibPrefix? Cidr = null,
    FilterMatch Match = FilterMatch.In,
    int? MinLength = null,
    int? MaxLength = null,
    bool LearnedOnly = false,
    string Name = "")
{
    public bool Matches(RibPrefix prefix, bool learned)
    {
        if (prefix.IsIPv6 != IPv6 || (LearnedOnly && !learned))
        {
            return false;
        }
        if (prefix.Length < (MinLength ?? 0) || prefix.Length > (MaxLength ?? 128))
        {
            return false;
        }
        if (Cidr is not { } cidr)
        {
            return true;
        }
        return Match switch
        {
            FilterMatch.Equal => prefix == cidr,
            FilterMatch.NotEqual => prefix != cidr,
            FilterMatch.In => cidr.Contains(prefix),
            _ => !cidr.Contains(prefix),
        };
    }
}
