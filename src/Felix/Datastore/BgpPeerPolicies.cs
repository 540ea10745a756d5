using System.Net;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Bgp;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// A BGPPeer's routing-policy fields and the rules of the BGPFilters it names, as one
/// <see cref="BgpPeerPolicy"/>. The filters' rules are flattened in the order the peer lists the
/// filters (each family keeps its own order, so first-match across filters holds per family).
/// A filter that does not exist is reported and skipped: the peer's session stays up on the rest
/// (Calico does the same), and the message says which name to create.
/// </summary>
internal static class BgpPeerPolicies
{
    public static BgpPeerPolicy Of(BGPPeer peer, ResourceCache<BGPFilter> filters, List<string> problems)
    {
        var spec = peer.Spec;
        var rules = new List<BgpFilterRule>();
        foreach (var name in spec.Filters ?? [])
        {
            if (!filters.Items.TryGetValue(name, out var filter))
            {
                problems.Add($"BGPPeer {peer.Name}: BGPFilter \"{name}\" does not exist; its rules are not applied");
                continue;
            }
            Add(rules, filter, "exportV4", filter.Spec.ExportV4, export: true, ipv6: false, problems);
            Add(rules, filter, "importV4", filter.Spec.ImportV4, export: false, ipv6: false, problems);
            Add(rules, filter, "exportV6", filter.Spec.ExportV6, export: true, ipv6: true, problems);
            Add(rules, filter, "importV6", filter.Spec.ImportV6, export: false, ipv6: true, problems);
        }
        return new BgpPeerPolicy
        {
            Rules = rules,
            NextHopMode = spec.NextHopMode switch
            {
                "Self" => BgpNextHopMode.Self,
                "Keep" => BgpNextHopMode.Keep,
                _ => BgpNextHopMode.Auto,
            },
            LocalAsNumber = spec.LocalASNumber,
            AllowedLocalAsNumbers = spec.NumAllowedLocalASNumbers ?? 0,
            TtlSecurity = spec.TtlSecurity,
            UseNodeIP = spec.SourceAddress != BGPPeerSpec.NoSourceAddress,
            SourceAddress = SourceAddressOf(peer, problems),
            LocalPref = spec.LocalPref,
            AsPathPrepend = spec.AsPathPrepend ?? 0,
        };
    }

    /// <summary>An explicit sourceAddress; one written before validation took addresses, or unreadable, is reported (the node's address is used).</summary>
    private static IPAddress? SourceAddressOf(BGPPeer peer, List<string> problems)
    {
        if (peer.Spec.SourceAddress is null or BGPPeerSpec.UseNodeIP or BGPPeerSpec.NoSourceAddress)
        {
            return null;
        }
        if (IPAddress.TryParse(peer.Spec.SourceAddress, out var address))
        {
            return address;
        }
        problems.Add($"BGPPeer {peer.Name}: sourceAddress \"{peer.Spec.SourceAddress}\" is neither UseNodeIP, None nor an address; the node's address is used");
        return null;
    }

    private static void Add(
        List<BgpFilterRule> rules, BGPFilter filter, string list, IReadOnlyList<BGPFilterRule>? source, bool export, bool ipv6, List<string> problems)
    {
        for (var i = 0; i < (source?.Count ?? 0); i++)
        {
            var rule = source![i];
            var name = $"BGPFilter/{filter.Name} {list}[{i}]";
            IPNetwork? cidr = null;
            if (rule.Cidr is not null)
            {
                // Validated when written; one written before validation existed is reported, not guessed at.
                if (!IPNetwork.TryParse(rule.Cidr, out var parsed))
                {
                    problems.Add($"{name}: cidr '{rule.Cidr}' is not a CIDR; rule skipped");
                    continue;
                }
                cidr = parsed;
            }
            rules.Add(new BgpFilterRule(
                export,
                ipv6,
                rule.Action == BGPFilterRule.ActionAccept,
                cidr,
                rule.MatchOperator switch
                {
                    BGPFilterRule.Equal => BgpFilterMatch.Equal,
                    BGPFilterRule.NotEqual => BgpFilterMatch.NotEqual,
                    BGPFilterRule.NotIn => BgpFilterMatch.NotIn,
                    _ => BgpFilterMatch.In,
                },
                rule.PrefixLength?.Min,
                rule.PrefixLength?.Max,
                rule.Source == BGPFilterRule.SourceRemotePeers,
                name));
        }
    }

    /// <summary>BGPConfiguration communities and prefixAdvertisements as (cidr, community) pairs; names resolved.</summary>
    public static List<BgpPrefixCommunity> PrefixCommunities(BGPConfigurationSpec? config, List<string> problems)
    {
        var result = new List<BgpPrefixCommunity>();
        if (config?.PrefixAdvertisements is not { } advertisements)
        {
            return result;
        }
        var named = (config.Communities ?? []).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        foreach (var advertisement in advertisements)
        {
            if (!IPNetwork.TryParse(advertisement.Cidr, out var cidr))
            {
                problems.Add($"BGPConfiguration default: prefixAdvertisements cidr '{advertisement.Cidr}' is not a CIDR; skipped");
                continue;
            }
            foreach (var community in advertisement.Communities ?? [])
            {
                var value = named.GetValueOrDefault(community, community);
                if (!BgpCommunityValue.TryParse(value, out var standard, out var large))
                {
                    problems.Add($"BGPConfiguration default: prefixAdvertisements {cidr}: \"{community}\" is neither a named community nor AS:N or AS:N:M; skipped");
                    continue;
                }
                result.Add(new BgpPrefixCommunity(cidr, standard, large));
            }
        }
        return result;
    }
}
