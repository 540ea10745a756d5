using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// One set or verdict map of the table and its elements, keyed by <see cref="NftSetElement.Identity"/> so that
/// two states diff element by element: a pod coming or going is one element, never a set rewrite.
/// </summary>
public sealed record DesiredSet(NftSet Set, IReadOnlyDictionary<string, NftSetElement> Elements)
{
    public static DesiredSet Of(NftSet set, IEnumerable<NftSetElement> elements)
    {
        var byKey = new Dictionary<string, NftSetElement>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            byKey[element.Identity()] = element;
        }
        return new DesiredSet(set, byKey);
    }

    /// <summary>Same key type and flags: an element diff is enough; otherwise the set is made again.</summary>
    public bool SameShape(DesiredSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Set.IsInterval == other.Set.IsInterval && Set.IsVerdictMap == other.Set.IsVerdictMap && Set.Key.SequenceEqual(other.Set.Key);
    }
}
