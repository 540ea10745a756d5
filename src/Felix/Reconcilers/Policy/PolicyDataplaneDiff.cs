using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// Writes into one <see cref="NftBatch"/> what turns <c>programmed</c> into <c>desired</c>: set and
/// map elements one by one, a changed chain flushed and refilled, chains and sets added or deleted;
/// never the whole table (the first program of a node adds it). The order inside the batch is the
/// one the kernel needs, as it checks references message by message: new sets and (empty) chains
/// first, then element deletions (a map element is a reference to its chain), chain refills, element
/// additions, and last the deletions of chains and sets nothing refers to any more.
/// </summary>
public static class PolicyDataplaneDiff
{
    /// <summary>
    /// Whether going from <paramref name="programmed"/> to <paramref name="desired"/> can refuse a
    /// flow that was allowed: a chain that exists in both changed its rules (a policy's rules, an
    /// endpoint newly selected), or an address left a set (a label change). New endpoints and new
    /// chains alone narrow nothing that already flows.
    /// </summary>
    public static bool CanNarrow(PolicyDataplane desired, PolicyDataplane programmed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(programmed);
        foreach (var (name, chain) in desired.Chains)
        {
            if (programmed.Chains.TryGetValue(name, out var old) && !old.SameAs(chain))
            {
                return true;
            }
        }
        foreach (var (name, set) in programmed.Sets)
        {
            // The same object: the calculation kept the set as it was (SelectorSetCache).
            if (!set.Set.IsVerdictMap && desired.Sets.TryGetValue(name, out var want) && !ReferenceEquals(set, want) && set.Elements.Keys.Any(k => !want.Elements.ContainsKey(k)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Fills <paramref name="batch"/>; returns false when nothing differs.</summary>
    public static bool Plan(PolicyDataplane desired, PolicyDataplane programmed, NftBatch batch)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(programmed);
        ArgumentNullException.ThrowIfNull(batch);
        if (ReferenceEquals(desired, programmed) && programmed.Exists)
        {
            // The table last committed, handed back (a pass that only moved the revision).
            return false;
        }
        var table = PolicyTable.Name;
        if (!programmed.Exists)
        {
            batch.AddTable(table);
        }
        // A set whose key type or flags changed is deleted and made again (names carry the shape, so
        // this is a repair of something written by hand).
        var remade = desired.Sets.Where(s => programmed.Sets.TryGetValue(s.Key, out var old) && !old.SameShape(s.Value)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var remadeChains = desired.Chains.Where(c => programmed.Chains.TryGetValue(c.Key, out var old)
            && (old.Chain.Hook != c.Value.Chain.Hook || old.Chain.Priority != c.Value.Chain.Priority)).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, set) in desired.Sets)
        {
            if (!programmed.Sets.ContainsKey(name))
            {
                batch.AddSet(set.Set);
            }
        }
        foreach (var (name, chain) in desired.Chains)
        {
            if (!programmed.Chains.ContainsKey(name))
            {
                batch.AddChain(chain.Chain);
            }
        }
        foreach (var (name, set) in programmed.Sets)
        {
            if (desired.Sets.TryGetValue(name, out var want) && !remade.Contains(name))
            {
                if (ReferenceEquals(set, want))
                {
                    continue; // kept as it was by the calculation: nothing to compare
                }
                foreach (var (key, element) in set.Elements)
                {
                    if (!want.Elements.ContainsKey(key))
                    {
                        batch.DeleteElement(table, name, element.Key, element.KeyEnd, element.IsIntervalEnd);
                    }
                }
            }
            else if (!set.Set.IsVerdictMap)
            {
                continue;
            }
            else
            {
                // A map going away: its elements (references to chains) go first.
                foreach (var element in set.Elements.Values)
                {
                    batch.DeleteElement(table, name, element.Key, element.KeyEnd, element.IsIntervalEnd);
                }
            }
        }
        foreach (var (name, chain) in desired.Chains)
        {
            var old = programmed.Chains.GetValueOrDefault(name);
            if (old is not null && !remadeChains.Contains(name) && old.SameAs(chain))
            {
                continue;
            }
            if (old is not null)
            {
                batch.FlushChain(table, name);
            }
            foreach (var rule in chain.Rules)
            {
                batch.AddRule(rule);
            }
        }
        foreach (var (name, chain) in programmed.Chains)
        {
            if (!desired.Chains.ContainsKey(name) && chain.Rules.Count > 0)
            {
                batch.FlushChain(table, name);
            }
        }
        foreach (var name in remade)
        {
            batch.DeleteSet(table, name).AddSet(desired.Sets[name].Set);
        }
        foreach (var (name, set) in desired.Sets)
        {
            var old = programmed.Sets.GetValueOrDefault(name);
            if (ReferenceEquals(old, set) && !remade.Contains(name))
            {
                continue;
            }
            foreach (var (key, element) in set.Elements)
            {
                if (old is null || remade.Contains(name) || !old.Elements.ContainsKey(key))
                {
                    batch.AddElement(table, name, element.Key, element.KeyEnd, element.Verdict, element.IsIntervalEnd);
                }
            }
        }
        foreach (var name in programmed.Chains.Keys.Where(n => !desired.Chains.ContainsKey(n)))
        {
            batch.DeleteChain(table, name);
        }
        foreach (var name in programmed.Sets.Keys.Where(n => !desired.Sets.ContainsKey(n)))
        {
            batch.DeleteSet(table, name);
        }
        return batch.Count > 0;
    }
}
