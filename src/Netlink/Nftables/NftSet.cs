namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// A named set (`set NAME { type ipv4_addr; flags interval; }`) or, with <see cref="IsVerdictMap"/>,
/// a verdict map (`map NAME { type ifname : verdict; }`). A key of several types is a concatenation
/// (`ipv4_addr . inet_proto . inet_service`); with <see cref="IsInterval"/> its elements are ranges.
/// </summary>
public sealed record NftSet(string Table, string Name, IReadOnlyList<NftDataType> Key, bool IsInterval = false, bool IsVerdictMap = false)
{
    public ulong Handle { get; init; }

    public bool IsConcatenation => Key.Count > 1;

    public int KeyLength => NftDataTypes.KeyLength(Key);
}
