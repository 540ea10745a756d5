using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>One chain of `table inet routednet` and its rules in order; what a commit makes true and a read-back finds.</summary>
public sealed record DesiredChain(NftChain Chain, IReadOnlyList<NftRule> Rules)
{
    /// <summary>Same hook and rules (comments included, counter values ignored): no write needed.</summary>
    public bool SameAs(DesiredChain other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Chain.Hook != other.Chain.Hook || Chain.Priority != other.Chain.Priority || Rules.Count != other.Rules.Count)
        {
            return false;
        }
        if (ReferenceEquals(Rules, other.Rules))
        {
            return true; // the calculation kept this chain's rules as they were (PolicyCalculationCache)
        }
        for (var i = 0; i < Rules.Count; i++)
        {
            if (!Rules[i].SameAs(other.Rules[i]))
            {
                return false;
            }
        }
        return true;
    }
}
