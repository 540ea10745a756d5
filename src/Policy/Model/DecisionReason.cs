namespace RoutedNet.Policy;

/// <summary>What decided one direction of a flow.</summary>
public enum DecisionReason
{
    /// <summary>No policy in any tier selected the endpoint for this direction: allowed (Calico's profiles allow).</summary>
    NotSelected,

    /// <summary>An Allow or Deny rule matched (<see cref="DirectionDecision.Tier"/>, policy and rule index say which).</summary>
    Rule,

    /// <summary>Policies of a tier selected the endpoint, none of their rules decided or passed: Deny.</summary>
    EndOfTier,

    /// <summary>Every tier that selected the endpoint passed it on (Pass) and no later tier selected it: allowed.</summary>
    Passed,
}
