using System.Net;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// One table in two spellings: <see cref="NftText"/> for `nft -f`, and <see cref="Build"/> with our
/// expressions. The round-trip tests require each to read back as the other.
/// </summary>
internal static class NftablesRuleset
{
    public const string Table = "routednet";

    public const string NftText = """
        table inet routednet {
          set pods4 { type ipv4_addr; flags interval; }
          set peers { type ipv4_addr . inet_proto . inet_service; }
          set ranges { type ipv4_addr . inet_proto . inet_service; flags interval; }
          map from_wl { type ifname : verdict; }
          chain forward { type filter hook forward priority 0; policy accept;
            iifname vmap @from_wl
            iifname "rn*" counter drop comment "default deny"
          }
          chain fw-rn12 {
            ct state established,related accept
            ip saddr @pods4 tcp dport 80 accept
            ip saddr . meta l4proto . th dport @peers accept
            ip saddr . meta l4proto . th dport @ranges log group 5 drop
            meta mark and 0xff00 == 0x100 limit rate 10/second reject
            ip6 daddr fd00::1 udp dport 1000-2000 return
          }
        }
        add element inet routednet pods4 { 10.244.0.0/24, 10.244.5.7 }
        add element inet routednet peers { 10.0.0.1 . tcp . 80 }
        add element inet routednet ranges { 10.0.0.0/24 . tcp . 80-90 }
        add element inet routednet from_wl { "rn12" : goto fw-rn12 }
        """;

    /// <summary>What `nft list table inet routednet` prints for the table (both ways of writing it).</summary>
    public const string Listed = """
        table inet routednet {
        	set pods4 {
        		type ipv4_addr
        		flags interval
        		elements = { 10.244.0.0/24, 10.244.5.7 }
        	}

        	set peers {
        		type ipv4_addr . inet_proto . inet_service
        		elements = { 10.0.0.1 . tcp . 80 }
        	}

        	set ranges {
        		type ipv4_addr . inet_proto . inet_service
        		flags interval
        		elements = { 10.0.0.0/24 . tcp . 80-90 }
        	}

        	map from_wl {
        		type ifname : verdict
        		elements = { "rn12" : goto fw-rn12 }
        	}

        	chain forward {
        		type filter hook forward priority filter; policy accept;
        		iifname vmap @from_wl
        		iifname "rn*" counter packets 0 bytes 0 drop comment "default deny"
        	}

        	chain fw-rn12 {
        		ct state established,related accept
        		ip saddr @pods4 tcp dport 80 accept
        		ip saddr . meta l4proto . th dport @peers accept
        		ip saddr . meta l4proto . th dport @ranges log group 5 drop
        		meta mark & 0x0000ff00 == 0x00000100 limit rate 10/second reject
        		ip6 daddr fd00::1 udp dport 1000-2000 return
        	}
        }

        """;

    public static readonly NftSet[] Sets =
    [
        new(Table, "pods4", [NftDataType.Ipv4Address], IsInterval: true),
        new(Table, "peers", [NftDataType.Ipv4Address, NftDataType.InetProtocol, NftDataType.InetService]),
        new(Table, "ranges", [NftDataType.Ipv4Address, NftDataType.InetProtocol, NftDataType.InetService], IsInterval: true),
        new(Table, "from_wl", [NftDataType.InterfaceName], IsVerdictMap: true),
    ];

    public static readonly NftChain[] Chains =
    [
        new(Table, "forward", NftHook.Forward, 0, NftVerdict.Accept),
        new(Table, "fw-rn12"),
    ];

    public static NftRule[] Rules() =>
    [
        new(Table, "forward", [Meta(NftMetaKey.InputInterfaceName), NftExpression.Lookup("from_wl", destinationRegister: 0)]),
        new(Table, "forward", [Meta(NftMetaKey.InputInterfaceName), NftExpression.CompareInterfaceName("rn*"), NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)], "default deny"),
        new(Table, "fw-rn12", [.. NftExpression.CtStateIn(2 | 4), NftExpression.Verdict(NftVerdict.Accept)]),
        new(Table, "fw-rn12", [.. Ipv4Source(), NftExpression.Lookup("pods4"), .. Port(6, NftCompareOp.Equal, 80), NftExpression.Verdict(NftVerdict.Accept)]),
        new(Table, "fw-rn12", [.. Ipv4Source(), .. ProtocolAndPortRegisters(), NftExpression.Lookup("peers"), NftExpression.Verdict(NftVerdict.Accept)]),
        new(Table, "fw-rn12", [.. Ipv4Source(), .. ProtocolAndPortRegisters(intervalSet: true), NftExpression.Lookup("ranges"), NftExpression.LogGroup(5), NftExpression.Verdict(NftVerdict.Drop)]),
        new(Table, "fw-rn12",
        [
            Meta(NftMetaKey.Mark), NftExpression.Bitwise([0, 0xff, 0, 0], [0, 0, 0, 0]), NftExpression.CompareHost(NftCompareOp.Equal, 0x100),
            NftExpression.Limit(10), NftExpression.Reject(),
        ]),
        new(Table, "fw-rn12",
        [
            Meta(NftMetaKey.NetfilterProtocol), NftExpression.CompareHost(NftCompareOp.Equal, 10, length: 1),
            NftExpression.PayloadLoad(NftPayloadBase.Network, 24, 16), NftExpression.Compare(NftCompareOp.Equal, IPAddress.Parse("fd00::1").GetAddressBytes()),
            Meta(NftMetaKey.Layer4Protocol), NftExpression.Compare(NftCompareOp.Equal, [17]),
            NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2),
            NftExpression.Compare(NftCompareOp.GreaterOrEqual, [0x03, 0xe8]), NftExpression.Compare(NftCompareOp.LessOrEqual, [0x07, 0xd0]),
            NftExpression.Verdict(NftVerdict.Return),
        ]),
    ];

    /// <summary>The whole table as one batch: table, sets, chains, rules, elements.</summary>
    public static NftBatch Build()
    {
        var batch = new NftBatch().AddTable(Table);
        foreach (var set in Sets)
        {
            batch.AddSet(set);
        }
        foreach (var chain in Chains)
        {
            batch.AddChain(chain);
        }
        foreach (var rule in Rules())
        {
            batch.AddRule(rule);
        }
        // A plain interval set holds ranges as start and end-flagged "first key past" elements; nft
        // starts an empty one with an end marker at 0.0.0.0.
        batch.AddElement(Table, "pods4", [0, 0, 0, 0], intervalEnd: true)
            .AddElement(Table, "pods4", [10, 244, 0, 0])
            .AddElement(Table, "pods4", [10, 244, 1, 0], intervalEnd: true)
            .AddElement(Table, "pods4", [10, 244, 5, 7])
            .AddElement(Table, "pods4", [10, 244, 5, 8], intervalEnd: true);
        batch.AddElement(Table, "peers", [10, 0, 0, 1, 6, 0, 0, 0, 0, 80, 0, 0]);
        batch.AddElement(Table, "ranges", [10, 0, 0, 0, 6, 0, 0, 0, 0, 80, 0, 0], [10, 0, 0, 255, 6, 0, 0, 0, 0, 90, 0, 0]);
        batch.AddElement(Table, "from_wl", InterfaceKey("rn12"), verdict: NftVerdict.Goto("fw-rn12"));
        return batch;
    }

    public static byte[] InterfaceKey(string name)
    {
        var key = new byte[16];
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(key, 0);
        return key;
    }

    private static NftExpression Meta(NftMetaKey key) => NftExpression.MetaLoad(key);

    private static NftExpression[] Ipv4Source() =>
    [
        Meta(NftMetaKey.NetfilterProtocol), NftExpression.CompareHost(NftCompareOp.Equal, 2, length: 1),
        NftExpression.PayloadLoad(NftPayloadBase.Network, 12, 4),
    ];

    // A concatenated interval set compares the protocol byte in network order: nft converts it.
    private static NftExpression[] ProtocolAndPortRegisters(bool intervalSet = false) =>
    [
        NftExpression.MetaLoad(NftMetaKey.Layer4Protocol, register: 9),
        .. intervalSet ? [NftExpression.ByteOrderToNetwork(9, 1, 2)] : Array.Empty<NftExpression>(),
        NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2, register: 10),
    ];

    private static NftExpression[] Port(byte protocol, NftCompareOp op, ushort port) =>
    [
        Meta(NftMetaKey.Layer4Protocol), NftExpression.Compare(NftCompareOp.Equal, [protocol]),
        NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2), NftExpression.Compare(op, [(byte)(port >> 8), (byte)port]),
    ];
}
