namespace RoutedNet.Netlink.Nftables;

/// <summary>A table of the inet family as a dump reads it; `nft list tables inet`.</summary>
public sealed record NftTable(string Name, ulong Handle, uint Flags);
