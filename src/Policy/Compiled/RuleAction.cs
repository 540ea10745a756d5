namespace RoutedNet.Policy;

/// <summary>A rule's action: Allow and Deny decide, Pass leaves the tier, Log goes on to the next rule.</summary>
public enum RuleAction
{
    Allow,
    Deny,
    Pass,
    Log,
}
