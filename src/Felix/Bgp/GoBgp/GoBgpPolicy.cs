using System.Net;
using RoutedNet.Felix.Bgp.GoBgp.Api;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>
/// The whole routing policy the backend gives gobgpd, built again from the wanted peers on every
/// change (GoBGP's SetPolicies replaces defined sets and policies at once). GoBGP 3.x has per-peer
/// policies only for route-server clients, so everything sits in the global import and export
/// policies, and each peer's BGPFilter rules are statements whose neighbor set is that peer: GoBGP
/// matches the sending peer on import and the receiving peer on export.
///
/// Import: the peers' rules in order, the first that matches accepts or rejects; the rest is
/// accepted, and the agent then takes from GoBGP's table what <see cref="BgpImport"/> allows (the
/// built-in speaker's defaults). Export: while the node drains, every route gets GRACEFUL_SHUTDOWN
/// 65535:0 and LOCAL_PREF 1 (kept by iBGP peers only; GoBGP's API reads 0 as "no action", so the
/// lowest it can set is 1); then the peers' rules in order; then the default, our own prefixes
/// (and, on a route reflector, what it learned).
/// </summary>
internal static class GoBgpPolicy
{
    public const string ImportName = "routednet-import";
    public const string ExportName = "routednet-export";

    /// <summary>GRACEFUL_SHUTDOWN (RFC 8326) as GoBGP's community action takes it.</summary>
    public const string GracefulShutdownCommunity = "65535:0";

    public const uint GracefulShutdownLocalPref = 1;

    /// <summary>What a peer's policy adds to the routes it is sent (BGPPeer localPref, asPathPrepend), compared to know when to send them again.</summary>
    public static (uint?, int) ExportActionsOf(BgpPeerPolicy policy) => (policy.LocalPref, policy.AsPathPrepend);

    /// <param name="localAs">The node's AS: the one prepended where a peer presents no localASNumber of its own.</param>
    public static SetPoliciesRequest Build(IEnumerable<BgpPeerConfig> peers, uint localAs, bool gracefulShutdown)
    {
        var request = new SetPoliciesRequest();
        var import = new Api.Policy { Name = ImportName };
        var export = new Api.Policy { Name = ExportName };
        if (gracefulShutdown)
        {
            // No route action: GoBGP carries the changed route on to the next statements.
            export.Statements.Add(new Statement
            {
                Name = "graceful-shutdown",
                Conditions = new Conditions(),
                Actions = new Actions
                {
                    Community = new CommunityAction { Type = CommunityAction.Types.Type.Add, Communities = { GracefulShutdownCommunity } },
                    LocalPref = new LocalPrefAction { Value = GracefulShutdownLocalPref },
                },
            });
        }
        var peerIndex = 0;
        foreach (var peer in peers.OrderBy(p => p.Address.ToString(), StringComparer.Ordinal))
        {
            var rules = peer.EffectivePolicy.Rules;
            var actions = PeerActions(peer, localAs);
            if (rules.Count == 0 && actions is null)
            {
                continue;
            }
            var neighbors = $"peer{peerIndex++}";
            request.DefinedSets.Add(new DefinedSet
            {
                DefinedType = DefinedType.Neighbor,
                Name = neighbors,
                List = { new IPNetwork(peer.Address, peer.Address.GetAddressBytes().Length * 8).ToString() },
            });
            if (actions is not null)
            {
                // No route action, and first: it changes every route the peer is sent, GoBGP carries
                // the route on to the statements that decide, and a drain's LOCAL_PREF 1 overrides it.
                export.Statements.Insert(0, new Statement
                {
                    Name = $"{neighbors}-attributes",
                    Conditions = new Conditions { NeighborSet = new MatchSet { Type = MatchSet.Types.Type.Any, Name = neighbors } },
                    Actions = actions,
                });
            }
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (GoBgpRuleMatch.Of(rule) is not var (entries, type))
                {
                    continue;
                }
                var name = $"{neighbors}-rule{i}";
                var prefixes = new DefinedSet { DefinedType = DefinedType.Prefix, Name = name };
                prefixes.Prefixes.AddRange(entries);
                request.DefinedSets.Add(prefixes);
                var statements = rule.Export ? export.Statements : import.Statements;
                // source: RemotePeers (export only): a learned route, from an iBGP or an eBGP peer.
                var routeTypes = rule.Export && rule.RemotePeersOnly
                    ? new[] { Conditions.Types.RouteType.Internal, Conditions.Types.RouteType.External }
                    : [Conditions.Types.RouteType.None];
                foreach (var routeType in routeTypes)
                {
                    statements.Add(new Statement
                    {
                        Name = routeType == Conditions.Types.RouteType.None ? name : $"{name}-{routeType}",
                        Conditions = new Conditions
                        {
                            NeighborSet = new MatchSet { Type = MatchSet.Types.Type.Any, Name = neighbors },
                            PrefixSet = new MatchSet { Type = type, Name = name },
                            RouteType = routeType,
                        },
                        Actions = new Actions { RouteAction = rule.Accept ? RouteAction.Accept : RouteAction.Reject },
                    });
                }
            }
        }
        // The built-in speaker's export default: our own prefixes only, so routes learned from one
        // peer (a ToR's, another node's) are never passed on to the others (a route reflector's
        // default accepts them too, <see cref="Assignment"/>). GoBGP's would re-advertise every best path.
        export.Statements.Add(new Statement
        {
            Name = "originated",
            Conditions = new Conditions { RouteType = Conditions.Types.RouteType.Local },
            Actions = new Actions { RouteAction = RouteAction.Accept },
        });
        request.Policies.Add(import);
        request.Policies.Add(export);
        return request;
    }

    /// <summary>
    /// BGPPeer localPref (iBGP peers only: eBGP does not carry it) and asPathPrepend (eBGP peers
    /// only: our AS, the one presented to that peer, N more times), as the built-in speaker sets them; null for neither.
    /// </summary>
    private static Actions? PeerActions(BgpPeerConfig peer, uint localAs)
    {
        var policy = peer.EffectivePolicy;
        var ourAs = policy.LocalAsNumber ?? localAs;
        var external = peer.AsNumber != ourAs;
        Actions? actions = null;
        if (policy.LocalPref is { } localPref && !external)
        {
            actions = new Actions { LocalPref = new LocalPrefAction { Value = localPref } };
        }
        if (policy.AsPathPrepend > 0 && external)
        {
            actions ??= new Actions();
            actions.AsPrepend = new AsPrependAction { Asn = ourAs, Repeat = (uint)policy.AsPathPrepend };
        }
        return actions;
    }

    /// <summary>The global assignment of one direction: import accepts what no rule rejected; export rejects the rest unless the node reflects routes.</summary>
    public static SetPolicyAssignmentRequest Assignment(PolicyDirection direction, bool reflects)
    {
        var assignment = new PolicyAssignment
        {
            Name = "global",
            Direction = direction,
            DefaultAction = direction == PolicyDirection.Import || reflects ? RouteAction.Accept : RouteAction.Reject,
        };
        assignment.Policies.Add(new Api.Policy { Name = direction == PolicyDirection.Import ? ImportName : ExportName });
        return new SetPolicyAssignmentRequest { Assignment = assignment };
    }
}
