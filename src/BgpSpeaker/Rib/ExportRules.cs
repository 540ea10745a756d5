using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Rib.BestPath;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Turns a best path into what one peer receives, or null when it must not receive it:
/// never back to the peer it came from; iBGP split horizon with RFC 4456 reflection (from a client
/// to everyone, from a non-client to clients only); the peer's export policy; then the attribute
/// changes each session type needs (RFC 4271 §5.1, RFC 4456 §8).
/// </summary>
internal sealed class ExportRules(uint localAs, uint clusterId, uint defaultLocalPreference)
{
    public RouteAttributes? For(RibPrefix prefix, BestPathResult best, ExportTarget target)
    {
        var path = best.Best;
        var source = path.Source;
        var policy = target.Policy;
        if (source.IsLocal ? !policy.Originated : !policy.Learned)
        {
            return null;
        }
        if (!source.IsLocal && source.PeerAddress.Equals(target.PeerAddress))
        {
            return null;
        }
        var reflected = !source.IsLocal && source.IsInternal && target.IsInternal;
        if (reflected && !source.IsRouteReflectorClient && !target.IsRouteReflectorClient)
        {
            return null;
        }
        if (reflected && path.Attributes.OriginatorId == target.PeerRouterId)
        {
            return null;
        }
        if (!policy.Permits(prefix))
        {
            return null;
        }
        var ownNextHop = prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? target.NextHopV4 : target.NextHopV6;
        var attributes = path.Attributes;
        if (target.IsInternal)
        {
            attributes = attributes with
            {
                LocalPreference = attributes.LocalPreference ?? defaultLocalPreference,
                NextHop = source.IsLocal ? ownNextHop : attributes.NextHop,
                LinkLocalNextHop = source.IsLocal ? null : attributes.LinkLocalNextHop,
            };
            if (reflected)
            {
                attributes = attributes with
                {
                    OriginatorId = attributes.OriginatorId ?? source.RouterId,
                    ClusterList = [clusterId, .. attributes.ClusterList],
                };
            }
        }
        else
        {
            // To another AS: our AS in front, ourselves as next hop; LOCAL_PREF and the RFC 4456
            // attributes stay inside the AS, and a MED heard from one AS is not passed to another.
            attributes = attributes.PrependAs(localAs) with
            {
                NextHop = ownNextHop,
                LinkLocalNextHop = null,
                LocalPreference = null,
                MultiExitDisc = source.IsLocal || source.IsInternal ? attributes.MultiExitDisc : null,
                OriginatorId = null,
                ClusterList = [],
            };
        }
        if (attributes.NextHop is null)
        {
            return null;
        }
        if (policy.AddCommunities.Count > 0)
        {
            attributes = attributes with { Communities = [.. attributes.Communities.Union(policy.AddCommunities)] };
        }
        if (policy.AddLargeCommunities.Count > 0)
        {
            attributes = attributes with { LargeCommunities = [.. attributes.LargeCommunities.Union(policy.AddLargeCommunities)] };
        }
        return attributes;
    }
}
