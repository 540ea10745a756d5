using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Turns a best path into what one peer receives, or null when it must not receive it:
/// never back to the peer it came from; iBGP split horizon with RFC 4456 reflection (from a client
/// to everyone, from a non-client to clients only); the peer's export policy; then the attribute
/// changes each session type needs (RFC 4271 §5.1, RFC 4456 §8).
/// </summary>
internal sealed class ExportRules(uint clusterId, uint defaultLocalPreference)
{
    public PathAttributes? For(RibPrefix prefix, BestPathResult best, ExportTarget target) =>
        Admits(prefix, best, target) ? Transform(best.Best, FamilyOf(prefix), target) : null;

    /// <summary>Whether the peer may receive this best path at all (source, split horizon, reflection, policy).</summary>
    public bool Admits(RibPrefix prefix, BestPathResult best, ExportTarget target) => Admits(prefix, best.Best, target);

    /// <summary>Whether the peer may receive this path (any candidate, for ADD-PATH; the same rules as for a best path).</summary>
    public bool Admits(RibPrefix prefix, RoutePath path, ExportTarget target)
    {
        var source = path.Source;
        var policy = target.Policy;
        if (!source.IsLocal && source.PeerAddress.Equals(target.PeerAddress))
        {
            return false;
        }
        var reflected = !source.IsLocal && source.IsInternal && target.IsInternal;
        if (reflected && !source.IsRouteReflectorClient && !target.IsRouteReflectorClient)
        {
            return false;
        }
        if (reflected && path.Attributes.OriginatorId == target.PeerRouterId)
        {
            return false;
        }
        if (policy.Rules.Count != 0 && Policy.FilterRules.FirstMatch(policy.Rules, prefix, learned: !source.IsLocal) is { } rule)
        {
            return rule.Action == Policy.FilterAction.Accept;
        }
        if (source.IsLocal ? !policy.Originated : !policy.Learned)
        {
            return false;
        }
        return policy.Permits(prefix);
    }

    /// <summary>
    /// The attributes as this peer receives them; depends only on the path, the family and the
    /// peer, so the speaker computes it once per attribute set rather than once per prefix.
    /// </summary>
    public PathAttributes? Transform(RoutePath path, AddressFamily family, ExportTarget target)
    {
        var source = path.Source;
        var policy = target.Policy;
        var reflected = !source.IsLocal && source.IsInternal && target.IsInternal;
        var ownNextHop = family == AddressFamily.InterNetwork ? target.NextHopV4 : target.NextHopV6;
        var attributes = new AttributeBuilder(path.Attributes);
        attributes.Origin ??= Origin.Incomplete;
        attributes.AsPath ??= AsPath.Empty;
        if (target.IsInternal)
        {
            attributes.LocalPref = policy.LocalPreference ?? attributes.LocalPref ?? defaultLocalPreference;
            if (source.IsLocal || policy.NextHopMode == Policy.NextHopMode.Self)
            {
                attributes.NextHop = ownNextHop;
            }
            if (reflected)
            {
                attributes.OriginatorId ??= source.RouterId;
                attributes.ClusterList = attributes.ClusterList.Insert(0, clusterId);
            }
        }
        else
        {
            // To another AS: our AS in front, ourselves as next hop; LOCAL_PREF and the RFC 4456
            // attributes stay inside the AS, and a MED heard from one AS is not passed to another.
            for (var i = 0; i <= policy.AsPathPrepend; i++)
            {
                attributes.AsPath = attributes.AsPath.Prepend(target.LocalAs);
            }
            if (source.IsLocal || policy.NextHopMode != Policy.NextHopMode.Keep || attributes.NextHop is null)
            {
                attributes.NextHop = ownNextHop;
            }
            attributes.LocalPref = null;
            attributes.MultiExitDisc = source.IsLocal || source.IsInternal ? attributes.MultiExitDisc : null;
            attributes.OriginatorId = null;
            attributes.ClusterList = [];
        }
        if (attributes.NextHop is null)
        {
            return null;
        }
        if (policy.AddCommunities.Count > 0)
        {
            attributes.Communities = [.. attributes.Communities.Union(policy.AddCommunities)];
        }
        if (policy.AddLargeCommunities.Count > 0)
        {
            attributes.LargeCommunities = [.. attributes.LargeCommunities.Union(policy.AddLargeCommunities)];
        }
        return attributes.Build();
    }

    private static AddressFamily FamilyOf(RibPrefix prefix) => Codec.Families.AddressFamilyOf(prefix);
}
