using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// One set or verdict map of the table and its elements, keyed by <see cref="ElementKey"/> so that
/// two states diff element by element: a pod coming or going is one element, never a set rewrite.
/// </summary>
public sealed record DesiredSet(NftSet Set, IReadOnlyDictionary<string, NftSetElement> Elements)
{
    /// <summary>Key, end, interval flag and verdict as one string (records compare arrays by reference).</summary>
    public static string ElementKey(NftSetElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return $"{Convert.ToHexString(element.Key)}-{Convert.ToHexString(element.KeyEnd ?? [])}{(element.IsIntervalEnd ? "e" : "")}>{element.Verdict}";
    }

    public static DesiredSet Of(NftSet set, IEnumerable<NftSetElement> elements)
    {
        var byKey = new Dictionary<string, NftSetElement>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            byKey[ElementKey(element)] = element;
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
