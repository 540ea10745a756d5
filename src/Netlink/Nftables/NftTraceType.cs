namespace RoutedNet.Netlink.Nftables;

/// <summary>What one step of a traced packet was (enum nft_trace_types).</summary>
public enum NftTraceType
{
    /// <summary>A base chain's policy decided (no rule gave a verdict).</summary>
    Policy = 1,

    /// <summary>The end of a chain reached: back to the chain that jumped here.</summary>
    Return = 2,

    /// <summary>A rule matched and gave <see cref="NftTraceEvent.Verdict"/> (continue for a non-terminal one).</summary>
    Rule = 3,
}
