namespace RoutedNet.Datastore.Resources;

/// <summary>
/// One end of a rule (Calico v3 EntityRule). A selector or namespaceSelector restricts the end to
/// endpoints (a bare IP never matches one); nets to addresses. A selector without namespaceSelector
/// means the policy's own namespace for a NetworkPolicy and every namespace for a GlobalNetworkPolicy.
/// </summary>
public sealed record EntityRule
{
    /// <summary>CIDRs (or bare addresses) the end's address must be in.</summary>
    public IReadOnlyList<string>? Nets { get; init; }

    public IReadOnlyList<string>? NotNets { get; init; }

    public string? Selector { get; init; }

    public string? NotSelector { get; init; }

    /// <summary>The namespaces (by their labels) whose endpoints the selector looks at.</summary>
    public string? NamespaceSelector { get; init; }

    /// <summary>Numbers, "first:last" ranges, or named ports (resolved on this end's endpoint, for the rule's protocol).</summary>
    public IReadOnlyList<IntOrString>? Ports { get; init; }

    public IReadOnlyList<IntOrString>? NotPorts { get; init; }

    public ServiceAccountMatch? ServiceAccounts { get; init; }
}
