namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>First match wins over an ordered list of <see cref="FilterRule"/>s; no match leaves the decision to the defaults.</summary>
public static class FilterRules
{
    /// <summary>The first rule that matches, or null when none does.</summary>
    public static FilterRule? FirstMatch(IReadOnlyList<FilterRule> rules, RibPrefix prefix, bool learned)
    {
        // Indexed: runs for every prefix of every UPDATE, and a foreach over the interface allocates.
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Matches(prefix, learned))
            {
                return rules[i];
            }
        }
        return null;
    }
}
