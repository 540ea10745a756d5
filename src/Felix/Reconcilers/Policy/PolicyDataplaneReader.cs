using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// Reads `table inet routednet` back over netlink dumps (chains, rules, sets, elements) into the
/// same shape the calculator builds, so the reconciler can diff what the kernel really holds: at
/// start (the table an earlier agent left keeps enforcing and is adopted, never flushed) and at
/// every periodic repair.
/// </summary>
public static class PolicyDataplaneReader
{
    public static PolicyDataplane Read(NftablesHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!handle.ListTables().Any(t => t.Name == PolicyTable.Name))
        {
            return PolicyDataplane.Absent;
        }
        var rules = handle.ListRules(PolicyTable.Name).GroupBy(r => r.Chain, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<NftRule>)g.ToList(), StringComparer.Ordinal);
        var chains = handle.ListChains(PolicyTable.Name).ToDictionary(
            c => c.Name,
            c => new DesiredChain(c, rules.GetValueOrDefault(c.Name) ?? []),
            StringComparer.Ordinal);
        var sets = handle.ListSets(PolicyTable.Name).ToDictionary(
            s => s.Name,
            s => DesiredSet.Of(s, handle.ListElements(PolicyTable.Name, s.Name)),
            StringComparer.Ordinal);
        return new PolicyDataplane(sets, chains);
    }
}
