using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.Felix.Bgp.GoBgp.Api;
using BgpPrefix = RoutedNet.BgpSpeaker.Wire.BgpPrefix;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>
/// BGPFilter rules and the drain's graceful shutdown as gobgpd's routing policy (<see cref="GoBgpPolicy"/>),
/// and what it takes for a changed policy to reach sessions that are already up: GoBGP applies a
/// new policy only to what it receives and sends from then on.
/// </summary>
public sealed partial class GoBgpBackend
{
    private bool _gracefulShutdown;

    /// <summary>The policy gobgpd has from this run (null: none yet, assignments not made).</summary>
    private SetPoliciesRequest? _policy;

    /// <summary>
    /// While on, every route gobgpd sends carries GRACEFUL_SHUTDOWN 65535:0 (towards iBGP peers with
    /// LOCAL_PREF 1, the lowest GoBGP's API can set); every peer is sent its routes again at once.
    /// </summary>
    public async Task SetGracefulShutdownAsync(bool on, CancellationToken cancellationToken)
    {
        _gracefulShutdown = on;
        if (await ApplyPolicyAsync(_peers.Values, cancellationToken).ConfigureAwait(false))
        {
            await SoftResetAsync("all", ResetPeerRequest.Types.SoftResetDirection.Out, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives gobgpd the policy for <paramref name="peers"/> unless it has it already; true when it changed.</summary>
    private async Task<bool> ApplyPolicyAsync(IEnumerable<BgpPeerConfig> peers, CancellationToken cancellationToken)
    {
        var policy = GoBgpPolicy.Build(peers, _local?.AsNumber ?? 0, _gracefulShutdown);
        if (policy.Equals(_policy))
        {
            return false;
        }
        await _api.SetPoliciesAsync(policy, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_policy is null)
        {
            // GoBGP 3.10 ignores assignments in SetPolicies; once made, they name the policies and outlive later SetPolicies.
            var reflects = _local?.RouteReflectorClusterId is not null;
            await _api.SetPolicyAssignmentAsync(GoBgpPolicy.Assignment(PolicyDirection.Import, reflects), cancellationToken: cancellationToken).ConfigureAwait(false);
            await _api.SetPolicyAssignmentAsync(GoBgpPolicy.Assignment(PolicyDirection.Export, reflects), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        _policy = policy;
        return true;
    }

    /// <summary>
    /// After a policy change, brings the sessions in line with their peers' new rules: a peer whose
    /// import rules changed has what gobgpd keeps from it judged again (soft reset in, nothing is
    /// sent); one whose export rules changed is sent its routes again (soft reset out). GoBGP's soft
    /// reset out sends only what is accepted now, never a withdrawal, so a prefix of ours that a
    /// changed rule now keeps from a peer is withdrawn and originated again: every peer gets the
    /// withdrawal, and those that still take it the route right after.
    /// </summary>
    private async Task ApplyRuleChangesAsync(IReadOnlyDictionary<IPAddress, BgpPeerPolicy> policiesBefore, CancellationToken cancellationToken)
    {
        var refused = new HashSet<IPNetwork>();
        foreach (var (address, config) in _peers)
        {
            var policyBefore = policiesBefore.GetValueOrDefault(address) ?? BgpPeerPolicy.Default;
            var before = policyBefore.Rules;
            var now = config.EffectivePolicy.Rules;
            if (!before.Where(r => !r.Export).SequenceEqual(now.Where(r => !r.Export)))
            {
                await SoftResetAsync(address.ToString(), ResetPeerRequest.Types.SoftResetDirection.In, cancellationToken).ConfigureAwait(false);
            }
            if (GoBgpPolicy.ExportActionsOf(policyBefore) != GoBgpPolicy.ExportActionsOf(config.EffectivePolicy))
            {
                // New attributes on what the peer is sent (local-pref, prepend): sent again with them.
                await SoftResetAsync(address.ToString(), ResetPeerRequest.Types.SoftResetDirection.Out, cancellationToken).ConfigureAwait(false);
            }
            if (!before.Where(r => r.Export).SequenceEqual(now.Where(r => r.Export)))
            {
                await SoftResetAsync(address.ToString(), ResetPeerRequest.Types.SoftResetDirection.Out, cancellationToken).ConfigureAwait(false);
                var exportBefore = SpeakerPolicy.Rules(BgpPeerPolicy.Default with { Rules = before }, export: true);
                var exportNow = SpeakerPolicy.Rules(config.EffectivePolicy, export: true);
                refused.UnionWith(_originated.Keys.Where(p => Exports(exportBefore, p) && !Exports(exportNow, p)));
            }
        }
        foreach (var prefix in refused)
        {
            await DeletePathAsync(prefix, cancellationToken).ConfigureAwait(false);
            await AddPathAsync(prefix, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a prefix of ours goes out under <paramref name="rules"/>: the first that matches decides, none means the default (ours go out).</summary>
    private static bool Exports(IReadOnlyList<FilterRule> rules, IPNetwork prefix) =>
        FilterRules.FirstMatch(rules, BgpPrefix.FromIPNetwork(prefix), learned: false) is not { Action: FilterAction.Reject };

    private async Task SoftResetAsync(string address, ResetPeerRequest.Types.SoftResetDirection direction, CancellationToken cancellationToken) =>
        await _api.ResetPeerAsync(new ResetPeerRequest { Address = address, Soft = true, Direction = direction }, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// How many of what <paramref name="peer"/> announces its import rules refuse now (GoBGP counts
    /// them as accepted: its count leaves out only AS loops). Read from gobgpd's Adj-RIB-In, so it
    /// costs a walk of what the peer sent: only for peers with import rules.
    /// </summary>
    private async Task<long> FilteredByRulesAsync(BgpPeerConfig peer, CancellationToken cancellationToken)
    {
        if (!peer.EffectivePolicy.Rules.Any(r => !r.Export))
        {
            return 0;
        }
        long filtered = 0;
        try
        {
            foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                var request = new ListPathRequest { TableType = TableType.AdjIn, Name = peer.Address.ToString(), Family = GoBgpPaths.FamilyOf(family), EnableFiltered = true };
                using var call = _api.ListPath(request, cancellationToken: cancellationToken);
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    filtered += response.Destination.Paths.Count(p => p.Filtered);
                }
            }
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // A peer gobgpd no longer has (removed meanwhile): nothing of it is filtered.
        }
        return filtered;
    }
}
