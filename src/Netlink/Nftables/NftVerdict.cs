using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// A verdict as nf_tables encodes it: a code (NF_ACCEPT, NF_DROP, NFT_RETURN, NFT_JUMP, NFT_GOTO)
/// and, for jump and goto, the target chain. Printed the way `nft --debug=netlink` does ("jump -> w").
/// </summary>
public readonly record struct NftVerdict
{
    internal NftVerdict(int code, string? chain)
    {
        Code = code;
        Chain = chain;
    }

    public static NftVerdict Accept => new(NfTables.NF_ACCEPT, null);

    public static NftVerdict Drop => new(NfTables.NF_DROP, null);

    public static NftVerdict Return => new(NfTables.NFT_RETURN, null);

    /// <summary>The kernel's verdict code (NF_ACCEPT 1, NF_DROP 0, NFT_JUMP -3, ...).</summary>
    public int Code { get; }

    /// <summary>The target of a jump or goto; null otherwise.</summary>
    public string? Chain { get; }

    /// <summary>Continues in <paramref name="chain"/> and comes back; `jump CHAIN`.</summary>
    public static NftVerdict Jump(string chain) => new(NfTables.NFT_JUMP, chain ?? throw new ArgumentNullException(nameof(chain)));

    /// <summary>Continues in <paramref name="chain"/> without coming back; `goto CHAIN`.</summary>
    public static NftVerdict Goto(string chain) => new(NfTables.NFT_GOTO, chain ?? throw new ArgumentNullException(nameof(chain)));

    /// <summary>`accept`, `drop`, `return`, `jump -> CHAIN`, `goto -> CHAIN` (nft's debug spelling).</summary>
    public override string ToString() => Code switch
    {
        NfTables.NF_ACCEPT => "accept",
        NfTables.NF_DROP => "drop",
        NfTables.NFT_RETURN => "return",
        NfTables.NFT_CONTINUE => "continue",
        NfTables.NFT_BREAK => "break",
        NfTables.NFT_JUMP => "jump -> " + Chain,
        NfTables.NFT_GOTO => "goto -> " + Chain,
        _ => "verdict " + Code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
