namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// A chain. With a <see cref="Hook"/> it is a base chain of type filter (`type filter hook forward
/// priority 0; policy accept;`); without, a regular chain reached by jump/goto. <see cref="Policy"/>
/// is only meaningful for base chains (null: the kernel default, accept).
/// </summary>
public sealed record NftChain(string Table, string Name, NftHook? Hook = null, int Priority = 0, NftVerdict? Policy = null)
{
    /// <summary>The kernel's handle; 0 for a chain not read from the kernel.</summary>
    public ulong Handle { get; init; }
}
