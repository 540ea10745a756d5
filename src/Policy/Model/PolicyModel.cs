namespace RoutedNet.Policy;

/// <summary>
/// The policy oracle: Calico's semantics as a pure function, which the agent's dataplane, the
/// conntrack revoke, `routednetctl policy explain` and the tests' expected truth tables all use.
/// A flow is allowed iff egress at its source endpoint and ingress at its destination endpoint
/// both allow; an end that is not an endpoint has no side (nothing to evaluate there). One side:
/// tiers admin → default → baseline; in a tier the policies that select the endpoint for that
/// direction, by order (none last) then id; their rules in order: the first matching Allow or
/// Deny decides, Pass leaves the tier, Log goes on. A tier with a selecting policy and no
/// decision or pass ends in Deny (even when its only rule is Log: Calico's "Log-only policy
/// isolates" surprise, calico#3801). No tier selected it (or every one passed): allowed.
/// </summary>
public static class PolicyModel
{
    public static PolicyVerdict Evaluate(PolicySnapshot snapshot, Flow flow)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(flow);
        var egress = flow.Source.Endpoint is { } source ? Evaluate(snapshot, flow, source, PolicyDirection.Egress) : null;
        var ingress = flow.Destination.Endpoint is { } destination ? Evaluate(snapshot, flow, destination, PolicyDirection.Ingress) : null;
        return new PolicyVerdict((egress?.Allowed ?? true) && (ingress?.Allowed ?? true), egress, ingress);
    }

    /// <summary>Only whether the flow is allowed, without the explanation (what bulk callers need).</summary>
    public static bool IsAllowed(PolicySnapshot snapshot, Flow flow)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(flow);
        return (flow.Source.Endpoint is not { } source || Allows(snapshot, flow, source, PolicyDirection.Egress))
            && (flow.Destination.Endpoint is not { } destination || Allows(snapshot, flow, destination, PolicyDirection.Ingress));
    }

    // Evaluate's walk without the explanation: no traces, no allocation (the conntrack revoke and
    // the lab's tables call this per flow).
    private static bool Allows(PolicySnapshot snapshot, Flow flow, PolicyEndpoint endpoint, PolicyDirection direction)
    {
        var selecting = snapshot.Selecting(endpoint, direction);
        var i = 0;
        while (i < selecting.Length)
        {
            var end = i;
            while (end < selecting.Length && selecting[end].TierIndex == selecting[i].TierIndex)
            {
                end++;
            }
            switch (Decide(snapshot, flow, selecting, i, end, direction).Action)
            {
                case RuleAction.Allow:
                    return true;
                case RuleAction.Deny or RuleAction.Log:
                    return false;
                default:
                    i = end;
                    break;
            }
        }
        return true;
    }

    /// <summary>One direction at one endpoint: egress at the source, ingress at the destination.</summary>
    public static DirectionDecision Evaluate(PolicySnapshot snapshot, Flow flow, PolicyEndpoint endpoint, PolicyDirection direction)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(endpoint);
        var selecting = snapshot.Selecting(endpoint, direction);
        var tiers = new List<TierTrace>();
        var passed = false;
        var i = 0;
        while (i < selecting.Length)
        {
            var tierIndex = selecting[i].TierIndex;
            var end = i;
            while (end < selecting.Length && selecting[end].TierIndex == tierIndex)
            {
                end++;
            }
            var tier = selecting[i].Tier;
            var selectedBy = selecting[i..end].Select(p => p.Id).ToArray();
            var decided = Decide(snapshot, flow, selecting, i, end, direction);
            switch (decided)
            {
                case (RuleAction.Allow or RuleAction.Deny, var policy, var rule):
                    var allowed = decided.Action == RuleAction.Allow;
                    tiers.Add(new TierTrace(tier, selectedBy, allowed ? "allow" : "deny") { Policy = policy!.Id, RuleIndex = rule });
                    return new DirectionDecision(direction, endpoint.Id, allowed, DecisionReason.Rule, tier, policy!.Id, rule, tiers);
                case (RuleAction.Pass, var passing, var passRule):
                    tiers.Add(new TierTrace(tier, selectedBy, "pass") { Policy = passing!.Id, RuleIndex = passRule });
                    passed = true;
                    break;
                default:
                    tiers.Add(new TierTrace(tier, selectedBy, "end-of-tier deny"));
                    return new DirectionDecision(direction, endpoint.Id, false, DecisionReason.EndOfTier, tier, null, null, tiers);
            }
            i = end;
        }
        return new DirectionDecision(direction, endpoint.Id, true, passed ? DecisionReason.Passed : DecisionReason.NotSelected, null, null, null, tiers);
    }

    // The first Allow, Deny or Pass among the tier's policies [from, to); Log only goes on.
    // Action Log in the result means nothing decided.
    private static (RuleAction Action, CompiledPolicy? Policy, int Rule) Decide(
        PolicySnapshot snapshot, Flow flow, CompiledPolicy[] policies, int from, int to, PolicyDirection direction)
    {
        for (var p = from; p < to; p++)
        {
            var policy = policies[p];
            var rules = direction == PolicyDirection.Ingress ? policy.IngressRules : policy.EgressRules;
            foreach (var rule in rules)
            {
                if (rule.Action != RuleAction.Log && rule.Matches(flow, snapshot))
                {
                    return (rule.Action, policy, rule.Index);
                }
            }
        }
        return (RuleAction.Log, null, -1);
    }
}
