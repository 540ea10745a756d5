namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The whole content of `table inet routednet`: its sets and maps, and its chains with their rules.
/// The calculator builds the desired one; the reconciler keeps the last committed one, or what a
/// netlink read-back found, and commits the difference (<see cref="PolicyDataplaneDiff"/>).
/// </summary>
public sealed record PolicyDataplane(IReadOnlyDictionary<string, DesiredSet> Sets, IReadOnlyDictionary<string, DesiredChain> Chains)
{
    /// <summary>No table at all (a node the agent never programmed).</summary>
    public static PolicyDataplane Absent { get; } = new(new Dictionary<string, DesiredSet>(), new Dictionary<string, DesiredChain>()) { Exists = false };

    /// <summary>Whether the table exists in the kernel (false: the first commit adds it).</summary>
    public bool Exists { get; init; } = true;

    /// <summary>Elements of every set and map, for the set-elements gauge.</summary>
    public int ElementCount => Sets.Values.Sum(s => s.Elements.Count);
}
