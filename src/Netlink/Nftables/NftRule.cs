using System.Runtime.CompilerServices;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// A rule: its expressions in order and an optional comment (USERDATA, at most 128 bytes, as nft
/// allows). <see cref="Handle"/> is the kernel's, set on rules read by a dump.
/// </summary>
public sealed record NftRule(string Table, string Chain, IReadOnlyList<NftExpression> Expressions, string? Comment = null)
{
    public ulong Handle { get; init; }

    /// <summary>The rule as `nft --debug=netlink` lists its expressions, one per line; counters without values.</summary>
    public string Describe() => string.Join('\n', Expressions.Select(e => e.Describe(includeCounters: false)));

    /// <summary>Same chain, comment and expressions (counter values ignored): what a read-back compares.</summary>
    public bool SameAs(NftRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Table == other.Table && Chain == other.Chain && Comment == other.Comment && Text(this) == Text(other);
    }

    // The description of a rule object is made once (rules are immutable): the agent compares a
    // chain's rules with the ones it committed on every change, and building the texts again each
    // time was ~14% of a change's CPU (bench/policy-enforce.sh). Outside the record's fields, so
    // equality is untouched.
    private static readonly ConditionalWeakTable<NftRule, string> Descriptions = new();

    private static string Text(NftRule rule) => Descriptions.GetValue(rule, static r => r.Describe());
}
