using System.Net.Sockets;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Validation;

/// <summary>BGPFilter and BGPPeer's routing-policy fields (issue 17), checked as the CRDs check them.</summary>
internal static partial class ResourceValidator
{
    // Router-OS bounds: BIRD and FRR take up to 10 occurrences and prepends; GTSM counts 1-254 hops.
    private const int MaxAllowedLocalAs = 10;
    private const int MaxPrepend = 10;

    private static void ValidateFilter(BGPFilterSpec spec)
    {
        FilterRules("spec.exportV4", spec.ExportV4, AddressFamily.InterNetwork, export: true);
        FilterRules("spec.importV4", spec.ImportV4, AddressFamily.InterNetwork, export: false);
        FilterRules("spec.exportV6", spec.ExportV6, AddressFamily.InterNetworkV6, export: true);
        FilterRules("spec.importV6", spec.ImportV6, AddressFamily.InterNetworkV6, export: false);
    }

    private static void FilterRules(string field, IReadOnlyList<BGPFilterRule>? rules, AddressFamily family, bool export)
    {
        var bits = family == AddressFamily.InterNetwork ? 32 : 128;
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i];
            var at = $"{field}[{i}]";
            OneOf($"{at}.action", rule.Action, BGPFilterRule.ActionAccept, BGPFilterRule.ActionReject);
            if (rule.MatchOperator is not null)
            {
                OneOf($"{at}.matchOperator", rule.MatchOperator, BGPFilterRule.Equal, BGPFilterRule.NotEqual, BGPFilterRule.In, BGPFilterRule.NotIn);
            }
            if (rule.Cidr is not null)
            {
                var network = Cidr.ParseNetwork($"{at}.cidr", rule.Cidr);
                if (network.BaseAddress.AddressFamily != family)
                {
                    throw new ResourceValidationException($"{at}.cidr {rule.Cidr} is not an {(bits == 32 ? "IPv4" : "IPv6")} CIDR");
                }
            }
            if ((rule.Cidr is null) != (rule.MatchOperator is null))
            {
                throw new ResourceValidationException($"{at}: cidr and matchOperator must both be set or both be absent");
            }
            if (rule.PrefixLength is { } length)
            {
                if (length.Min is { } min && (min < 0 || min > bits))
                {
                    throw new ResourceValidationException($"{at}.prefixLength.min {min} must be 0–{bits}");
                }
                if (length.Max is { } max && (max < 0 || max > bits))
                {
                    throw new ResourceValidationException($"{at}.prefixLength.max {max} must be 0–{bits}");
                }
                if (length.Min > length.Max)
                {
                    throw new ResourceValidationException($"{at}.prefixLength: min {length.Min} is more than max {length.Max}");
                }
            }
            if (rule.Source is not null)
            {
                if (!export)
                {
                    throw new ResourceValidationException($"{at}.source: only export rules have a source");
                }
                OneOf($"{at}.source", rule.Source, BGPFilterRule.SourceRemotePeers);
            }
        }
    }

    private static void ValidatePeerPolicy(BGPPeerSpec spec)
    {
        foreach (var name in spec.Filters ?? [])
        {
            ValidateName("spec.filters: BGPFilter", name);
        }
        if (spec.LocalASNumber == 0)
        {
            throw new ResourceValidationException("spec.localASNumber must be 1–4294967295");
        }
        if (spec.NextHopMode is not null)
        {
            OneOf("spec.nextHopMode", spec.NextHopMode, "Auto", "Self", "Keep");
        }
        if (spec.NumAllowedLocalASNumbers is < 0 or > MaxAllowedLocalAs)
        {
            throw new ResourceValidationException($"spec.numAllowedLocalASNumbers {spec.NumAllowedLocalASNumbers} must be 0–{MaxAllowedLocalAs}");
        }
        if (spec.TtlSecurity is < 1 or > 254)
        {
            throw new ResourceValidationException($"spec.ttlSecurity {spec.TtlSecurity} must be 1–254 hops");
        }
        if (spec.SourceAddress is not null and not BGPPeerSpec.UseNodeIP and not BGPPeerSpec.NoSourceAddress)
        {
            // Beside Calico's two words, an address as router OSes take it (BIRD `source address`, FRR `update-source`).
            if (!Cidr.TryParseAddress(spec.SourceAddress, out var source))
            {
                throw new ResourceValidationException($"spec.sourceAddress \"{spec.SourceAddress}\" must be UseNodeIP, None or an IP address of the node");
            }
            if (Cidr.TryParseAddress(spec.PeerIP, out var peer) && peer.AddressFamily != source.AddressFamily)
            {
                throw new ResourceValidationException($"spec.sourceAddress {spec.SourceAddress} and spec.peerIP {spec.PeerIP} are of different families; a session has one");
            }
        }
        if (spec.AsPathPrepend is < 0 or > MaxPrepend)
        {
            throw new ResourceValidationException($"spec.asPathPrepend {spec.AsPathPrepend} must be 0–{MaxPrepend}");
        }
    }

    private static void ValidateCommunities(BGPConfigurationSpec spec)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.Communities?.Count ?? 0); i++)
        {
            var community = spec.Communities![i];
            Required($"spec.communities[{i}].name", community.Name);
            if (!names.Add(community.Name))
            {
                throw new ResourceValidationException($"spec.communities[{i}].name \"{community.Name}\" is used twice");
            }
            if (!BgpCommunityValue.TryParse(community.Value, out _, out _))
            {
                throw new ResourceValidationException($"spec.communities[{i}].value \"{community.Value}\" is not a community: AS:N (0–65535 each) or AS:N:M (0–4294967295 each)");
            }
        }
        for (var i = 0; i < (spec.PrefixAdvertisements?.Count ?? 0); i++)
        {
            var advertisement = spec.PrefixAdvertisements![i];
            Cidr.ParseNetwork($"spec.prefixAdvertisements[{i}].cidr", advertisement.Cidr);
            foreach (var community in advertisement.Communities ?? [])
            {
                if (!names.Contains(community) && !BgpCommunityValue.TryParse(community, out _, out _))
                {
                    throw new ResourceValidationException(
                        $"spec.prefixAdvertisements[{i}].communities: \"{community}\" is neither a name in spec.communities nor a community (AS:N or AS:N:M)");
                }
            }
        }
    }
}
