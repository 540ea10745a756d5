using System.Net;
using System.Net.Sockets;
using RoutedNet.Felix.Bgp.GoBgp.Api;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>
/// One BGPFilter rule's prefix test as a GoBGP prefix set and match type. A GoBGP statement takes
/// one prefix set, whose entries are "prefix, mask lengths min..max", and GoBGP looks a route up
/// in it by longest match: only the entries on the longest stored prefix that holds the route are
/// tried. So a rule that combines a negated operator with prefixLength (route not inside the cidr
/// AND length within min..max) is written as the negation of its complement (inside the cidr, or
/// a length outside min..max), with the lengths outside also listed on the cidr itself so that the
/// longest match finds them there.
/// </summary>
internal static class GoBgpRuleMatch
{
    /// <summary>The prefix set entries and how they are matched; null when the rule can match no route (an empty length range).</summary>
    public static (IReadOnlyList<Prefix> Entries, MatchSet.Types.Type Type)? Of(BgpFilterRule rule)
    {
        var bits = rule.IPv6 ? 128 : 32;
        var min = Math.Max(rule.MinLength ?? 0, 0);
        var max = Math.Min(rule.MaxLength ?? bits, bits);
        if (min > max)
        {
            return null;
        }
        var any = new IPNetwork(rule.IPv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        if (rule.Cidr is not { } cidr)
        {
            return ([Entry(any, min, max)], MatchSet.Types.Type.Any);
        }
        if ((cidr.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6) != rule.IPv6)
        {
            return null;
        }
        var length = cidr.PrefixLength;
        switch (rule.Match)
        {
            case BgpFilterMatch.Equal:
                return length >= min && length <= max ? ([Entry(cidr, length, length)], MatchSet.Types.Type.Any) : null;
            case BgpFilterMatch.In:
                return Math.Max(length, min) <= max ? ([Entry(cidr, Math.Max(length, min), max)], MatchSet.Types.Type.Any) : null;
        }
        // Negated: the route matches when it is not in the complement below.
        var complement = new List<Prefix>();
        if (rule.Match == BgpFilterMatch.NotIn)
        {
            complement.Add(Entry(cidr, length, bits));
        }
        else
        {
            complement.Add(Entry(cidr, length, length));
            // Longer routes inside the cidr are found on the cidr's entries only: their lengths outside min..max go there too.
            AddIfAny(complement, cidr, length + 1, min - 1);
            AddIfAny(complement, cidr, Math.Max(length + 1, max + 1), bits);
        }
        AddIfAny(complement, any, 0, min - 1);
        AddIfAny(complement, any, max + 1, bits);
        return (complement, MatchSet.Types.Type.Invert);
    }

    private static void AddIfAny(List<Prefix> entries, IPNetwork network, int min, int max)
    {
        if (min <= max)
        {
            entries.Add(Entry(network, min, max));
        }
    }

    private static Prefix Entry(IPNetwork network, int min, int max) =>
        new() { IpPrefix = network.ToString(), MaskLengthMin = (uint)min, MaskLengthMax = (uint)max };
}
