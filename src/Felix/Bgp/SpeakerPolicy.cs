using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.Felix.Bgp;

/// <summary>A peer's <see cref="BgpPeerPolicy"/> in the built-in speaker's terms (src/BgpSpeaker/Policy).</summary>
internal static class SpeakerPolicy
{
    public static IReadOnlyList<FilterRule> Rules(BgpPeerPolicy policy, bool export)
    {
        var rules = new List<FilterRule>();
        foreach (var rule in policy.Rules)
        {
            if (rule.Export != export)
            {
                continue;
            }
            rules.Add(new FilterRule(
                rule.IPv6,
                rule.Accept ? FilterAction.Accept : FilterAction.Reject,
                rule.Cidr is { } cidr ? BgpPrefix.FromIPNetwork(cidr) : null,
                rule.Match switch
                {
                    BgpFilterMatch.Equal => FilterMatch.Equal,
                    BgpFilterMatch.NotEqual => FilterMatch.NotEqual,
                    BgpFilterMatch.NotIn => FilterMatch.NotIn,
                    _ => FilterMatch.In,
                },
                rule.MinLength,
                rule.MaxLength,
                rule.RemotePeersOnly,
                rule.Name));
        }
        return rules;
    }

    public static IReadOnlyList<PrefixCommunity> Communities(BgpPeerPolicy policy) =>
        [.. policy.PrefixCommunities.Select(c => new PrefixCommunity(
            BgpPrefix.FromIPNetwork(c.Cidr),
            c.Standard,
            c.Large is { } large ? new LargeCommunity(large.Global, large.Local1, large.Local2) : null))];

    public static NextHopMode NextHop(BgpNextHopMode mode) => mode switch
    {
        BgpNextHopMode.Self => NextHopMode.Self,
        BgpNextHopMode.Keep => NextHopMode.Keep,
        _ => NextHopMode.Auto,
    };
}
