namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A BGPFilter's rules, one ordered list per direction and family (Calico's field names). For a
/// route, the first rule that matches across the peer's filters, in the order the peer lists them,
/// accepts or rejects it; a route no rule matches gets the built-in policy.
/// </summary>
public sealed record BGPFilterSpec
{
    /// <summary>Rules for IPv4 routes this node sends to the peer.</summary>
    public IReadOnlyList<BGPFilterRule>? ExportV4 { get; init; }

    /// <summary>Rules for IPv4 routes this node receives from the peer.</summary>
    public IReadOnlyList<BGPFilterRule>? ImportV4 { get; init; }

    /// <summary>Rules for IPv6 routes this node sends to the peer.</summary>
    public IReadOnlyList<BGPFilterRule>? ExportV6 { get; init; }

    /// <summary>Rules for IPv6 routes this node receives from the peer.</summary>
    public IReadOnlyList<BGPFilterRule>? ImportV6 { get; init; }
}
