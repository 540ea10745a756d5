using System.Net;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Netlink.Tests.Nftables;

/// <summary>
/// Every message shape we emit, byte for byte against what the real `nft` 1.0.6 (Debian 12) sends
/// for the equivalent text, and each expression's text against `nft --debug=netlink`. The expected
/// hex is the message after nlmsghdr and nfgenmsg, captured with nft-capture.py (next to this file):
///   ip netns add rnnft-cap; ip netns exec rnnft-cap nft -f BASE; ip netns exec rnnft-cap ./nft-capture.py ONE.nft
/// where BASE is <see cref="Base"/> and ONE.nft holds the command quoted above each test.
/// nft adds NFTA_*_SET_ID (its own batch-local set number) to lookups and element lists even for
/// existing sets; lookups take it as an argument, and it is cut out of the element captures.
/// </summary>
public sealed class NftGoldenTests
{
    public const string Base = """
        table inet t {
          set s4 { type ipv4_addr; flags interval; }
          set s6 { type ipv6_addr; }
          set sc { type ipv4_addr . inet_proto . inet_service; }
          map vm { type ifname : verdict; }
          chain c { type filter hook forward priority 0; policy accept; }
          chain w { }
        }
        """;

    private static readonly byte[] Tcp = [6];
    private static readonly byte[] Udp = [17];

    private static string Body(NftBatch batch)
    {
        batch.Seal(0, null);
        return Hex.Of(batch.MessageAt(0)[20..]);
    }

    private static string Rule(string chain, params NftExpression[] expressions)
    {
        var body = Body(new NftBatch().AddRule(new NftRule("t", chain, expressions)));
        return body;
    }

    private static byte[] Port(ushort port) => [(byte)(port >> 8), (byte)port];

    // `table inet t { set s4 ...; chain c { ... iifname "rn*" ip saddr @s4 tcp dport 80 counter accept comment "hi" } }` (fresh)
    [Fact]
    public void Rule_IfnamePrefixAddressSetPortCounterAcceptComment_MatchesNft()
    {
        var bytes = Body(new NftBatch().AddRule(new NftRule("t", "c",
        [
            NftExpression.MetaLoad(NftMetaKey.InputInterfaceName),
            NftExpression.CompareInterfaceName("rn*"),
            NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol),
            NftExpression.CompareHost(NftCompareOp.Equal, 2, length: 1),
            NftExpression.PayloadLoad(NftPayloadBase.Network, 12, 4),
            NftExpression.Lookup("s4", setId: 2),
            NftExpression.MetaLoad(NftMetaKey.Layer4Protocol),
            NftExpression.Compare(NftCompareOp.Equal, Tcp),
            NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2),
            NftExpression.Compare(NftCompareOp.Equal, Port(80)),
            NftExpression.Counter(),
            NftExpression.Verdict(NftVerdict.Accept),
        ], "hi")));

        Assert.Equal(
            "06000100740000000600020063000000f801048024000180090001006d6574610000000014000280080002000000000608000100000000012c00018008000100636d700020000280080001000000000108000200000000000c00038006000100726e000024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000c08000400000000042c0001800b0001006c6f6f6b757000001c00028008000200000000010700010073340000080004000000000224000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280080001000000000108000200000000000c0003800600010000500000140001800c000100636f756e7465720004000280300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001090007000003686900000000",
            bytes);
    }

    // add rule inet t c iifname vmap @vm
    [Fact]
    public void Rule_IfnameVerdictMap_MatchesNft()
    {
        Assert.Equal(
            "060001007400000006000200630000005c00048024000180090001006d657461000000001400028008000200000000060800010000000001340001800b0001006c6f6f6b75700000240002800800020000000001080003000000000007000100766d00000800040000000004",
            Rule("c", NftExpression.MetaLoad(NftMetaKey.InputInterfaceName), NftExpression.Lookup("vm", destinationRegister: 0, setId: 4)));
    }

    // add rule inet t c oifname "eth0" meta mark 0x10 ct state established,related accept
    [Fact]
    public void Rule_OifnameMarkCtState_MatchesNft()
    {
        Assert.Equal(
            "060001007400000006000200630000007001048024000180090001006d6574610000000014000280080002000000000708000100000000013800018008000100636d70002c0002800800010000000001080002000000000018000380140001006574683000000000000000000000000024000180090001006d6574610000000014000280080002000000000308000100000000012c00018008000100636d700020000280080001000000000108000200000000000c00038008000100100000002000018007000100637400001400028008000200000000000800010000000001440001800c0001006269747769736500340002800800010000000001080002000000000108000300000000040c00048008000100060000000c00058008000100000000002c00018008000100636d700020000280080001000000000108000200000000010c0003800800010000000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
            Rule("c",
            [
                NftExpression.MetaLoad(NftMetaKey.OutputInterfaceName),
                NftExpression.CompareInterfaceName("eth0"),
                NftExpression.MetaLoad(NftMetaKey.Mark),
                NftExpression.CompareHost(NftCompareOp.Equal, 0x10),
                .. NftExpression.CtStateIn(2 | 4),
                NftExpression.Verdict(NftVerdict.Accept),
            ]));
    }

    // add rule inet t c ct mark and 0x10000000 == 0x10000000 drop
    [Fact]
    public void Rule_CtMarkHas_MatchesNft()
    {
        Assert.Equal(
            "06000100740000000600020063000000cc00048020000180070001006374000014000280080002000000000308000100000000014c0001800c00010062697477697365003c00028008000100000000010800020000000001080006000000000008000300000000040c00048008000100000000100c00058008000100000000002c00018008000100636d700020000280080001000000000108000200000000000c0003800800010000000010300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000000",
            Rule("c", [.. NftExpression.CtMarkHas(0x10000000), NftExpression.Verdict(NftVerdict.Drop)]));
    }

    // add rule inet t c ip6 daddr @s6 udp dport 1000-2000 drop
    [Fact]
    public void Rule_Ip6DaddrSetPortRangeDrop_MatchesNft()
    {
        Assert.Equal(
            "06000100740000000600020063000000c001048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c000380050001000a000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000001808000400000000102c0001800b0001006c6f6f6b757000001c00028008000200000000010700010073360000080004000000000224000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010011000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280080001000000000108000200000000050c0003800600010003e800002c00018008000100636d700020000280080001000000000108000200000000030c0003800600010007d00000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000000",
            Rule("c",
                NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol),
                NftExpression.CompareHost(NftCompareOp.Equal, 10, length: 1),
                NftExpression.PayloadLoad(NftPayloadBase.Network, 24, 16),
                NftExpression.Lookup("s6", setId: 2),
                NftExpression.MetaLoad(NftMetaKey.Layer4Protocol),
                NftExpression.Compare(NftCompareOp.Equal, Udp),
                NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2),
                NftExpression.Compare(NftCompareOp.GreaterOrEqual, Port(1000)),
                NftExpression.Compare(NftCompareOp.LessOrEqual, Port(2000)),
                NftExpression.Verdict(NftVerdict.Drop)));
    }

    // add rule inet t c ip saddr . meta l4proto . th dport @sc jump w
    [Fact]
    public void Rule_ConcatenatedLookupJump_MatchesNft()
    {
        Assert.Equal(
            "060001007400000006000200630000004401048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000c080004000000000424000180090001006d657461000000001400028008000200000000100800010000000009340001800c0001007061796c6f61640024000280080001000000000a0800020000000002080003000000000208000400000000022c0001800b0001006c6f6f6b757000001c000280080002000000000107000100736300000800040000000003380001800e000100696d6d656469617465000000240002800800010000000000180002801400028008000100fffffffd0600020077000000",
            Rule("c",
                NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol),
                NftExpression.CompareHost(NftCompareOp.Equal, 2, length: 1),
                NftExpression.PayloadLoad(NftPayloadBase.Network, 12, 4),
                NftExpression.MetaLoad(NftMetaKey.Layer4Protocol, register: 9),
                NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2, register: 10),
                NftExpression.Lookup("sc", setId: 3),
                NftExpression.Verdict(NftVerdict.Jump("w"))));
    }

    // add rule inet t c meta mark and 0xff00 == 0x100 goto w
    [Fact]
    public void Rule_MarkMaskGoto_MatchesNft()
    {
        Assert.Equal(
            "06000100740000000600020063000000d800048024000180090001006d6574610000000014000280080002000000000308000100000000014c0001800c00010062697477697365003c00028008000100000000010800020000000001080006000000000008000300000000040c0004800800010000ff00000c00058008000100000000002c00018008000100636d700020000280080001000000000108000200000000000c0003800800010000010000380001800e000100696d6d656469617465000000240002800800010000000000180002801400028008000100fffffffc0600020077000000",
            Rule("c",
                NftExpression.MetaLoad(NftMetaKey.Mark),
                NftExpression.Bitwise([0, 0xff, 0, 0], [0, 0, 0, 0]),
                NftExpression.CompareHost(NftCompareOp.Equal, 0x100),
                NftExpression.Verdict(NftVerdict.Goto("w"))));
    }

    // add rule inet t w log group 5 return
    [Fact]
    public void Rule_LogGroupReturn_MatchesNft()
    {
        Assert.Equal(
            "060001007400000006000200770000004c00048018000180080001006c6f67000c0002800600010000050000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100fffffffb",
            Rule("w", NftExpression.LogGroup(5), NftExpression.Verdict(NftVerdict.Return)));
    }

    // add rule inet t w log prefix "rn:e:D:abc" group 5 limit rate 10/second drop
    [Fact]
    public void Rule_LogPrefixGroupLimitDrop_MatchesNft()
    {
        Assert.Equal(
            "06000100740000000600020077000000a000048028000180080001006c6f67001c0002800f000200726e3a653a443a61626300000600010000050000440001800a0001006c696d6974000000340002800c000100000000000000000a0c0002000000000000000001080003000000000508000400000000000800050000000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000000",
            Rule("w", NftExpression.LogGroup(5, "rn:e:D:abc"), NftExpression.Limit(10), NftExpression.Verdict(NftVerdict.Drop)));
        Assert.Equal("[ log prefix rn:e:D:abc group 5 snaplen 0 qthreshold 0 ]", NftExpression.LogGroup(5, "rn:e:D:abc").ToString());
    }

    // add rule inet t w counter limit rate 10/second log group 5 comment "x/p#i0" (a policy's Log rule: it counts what it matched)
    [Fact]
    public void Rule_CounterLimitLogGroupComment_MatchesNft()
    {
        Assert.Equal(
            "0600010074000000060002007700000074000480140001800c000100636f756e7465720004000280440001800a0001006c696d6974000000340002800c000100000000000000000a0c000200000000000000000108000300000000050800040000000000080005000000000018000180080001006c6f67000c00028006000100000500000d0007000007782f7023693000000000",
            Body(new NftBatch().AddRule(new NftRule("t", "w", [NftExpression.Counter(), NftExpression.Limit(10), NftExpression.LogGroup(5)], "x/p#i0"))));
    }

    // add rule inet t w counter packets 5 bytes 300 return (a counter with values, as a rule dump holds it)
    [Fact]
    public void Rule_CounterWithValues_MatchesNft_AndReadsBack()
    {
        var counter = NftExpression.Counter(packets: 5, bytes: 300);

        Assert.Equal(
            "06000100740000000600020077000000600004802c0001800c000100636f756e746572001c0002800c000100000000000000012c0c0002000000000000000005300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100fffffffb",
            Rule("w", counter, NftExpression.Verdict(NftVerdict.Return)));
        Assert.True(counter.TryGetCounter(out var packets, out var bytes));
        Assert.Equal((5UL, 300UL), (packets, bytes));
        Assert.Equal("[ counter pkts 5 bytes 300 ]", counter.ToString());
        // What a read-back compares: a counter's values are not part of the rule.
        Assert.Equal(NftExpression.Counter().Describe(includeCounters: false), counter.Describe(includeCounters: false));
    }

    // add rule inet t w limit rate 10/second reject
    [Fact]
    public void Rule_LimitReject_MatchesNft()
    {
        Assert.Equal(
            "060001007400000006000200770000006c000480440001800a0001006c696d6974000000340002800c000100000000000000000a0c0002000000000000000001080003000000000508000400000000000800050000000000240001800b00010072656a65637400001400028008000100000000020500020001000000",
            Rule("w", NftExpression.Limit(10), NftExpression.Reject()));
    }

    // add rule inet t w tcp dport != 1000-2000 accept   (nft --debug=netlink: [ range neq reg 1 0x0000e803 0x0000d007 ])
    [Fact]
    public void Rule_PortRangeNegated_MatchesNft()
    {
        var range = NftExpression.Range(Port(1000), Port(2000), negate: true);
        Assert.Equal(
            "06000100740000000600020077000000f400048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000023c0001800a00010072616e67650000002c000280080001000000000108000200000000010c0003800600010003e800000c0004800600010007d00000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
            Rule("w",
                NftExpression.MetaLoad(NftMetaKey.Layer4Protocol),
                NftExpression.Compare(NftCompareOp.Equal, Tcp),
                NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2),
                range,
                NftExpression.Verdict(NftVerdict.Accept)));
        Assert.Equal("[ range neq reg 1 0x0000e803 0x0000d007 ]", range.ToString());
    }

    // add chain inet t i { type filter hook input priority -10; policy drop; }
    [Fact]
    public void Chain_BaseInputDropPolicyNegativePriority_MatchesNft()
    {
        Assert.Equal(
            "060001007400000006000300690000000b00070066696c7465720000080005000000000014000480080001000000000108000200fffffff6",
            Body(new NftBatch().AddChain(new NftChain("t", "i", NftHook.Input, -10, NftVerdict.Drop))));
    }

    // add chain inet t o { type filter hook output priority 100; }
    [Fact]
    public void Chain_BaseOutputNoPolicy_MatchesNft()
    {
        Assert.Equal(
            "0600010074000000060003006f0000000b00070066696c74657200001400048008000100000000030800020000000064",
            Body(new NftBatch().AddChain(new NftChain("t", "o", NftHook.Output, 100))));
    }

    // table inet t { chain c { type filter hook forward priority 0; policy accept; } } (fresh)
    [Fact]
    public void TableAndChain_MatchNft()
    {
        Assert.Equal("06000100740000000800020000000000", Body(new NftBatch().AddTable("t")));
        Assert.Equal(
            "060001007400000006000300630000000b00070066696c746572000008000500000000011400048008000100000000020800020000000000",
            Body(new NftBatch().AddChain(new NftChain("t", "c", NftHook.Forward, 0, NftVerdict.Accept))));
    }

    // flush chain inet t w; delete table inet t
    [Fact]
    public void FlushChainAndDeleteTable_MatchNft()
    {
        Assert.Equal("06000100740000000600020077000000", Body(new NftBatch().FlushChain("t", "w")));
        Assert.Equal("0600010074000000", Body(new NftBatch().DeleteTable("t")));
    }

    // add set inet t s6b { type ipv6_addr; flags interval; }
    [Fact]
    public void Set_Ipv6Interval_MatchesNft()
    {
        Assert.Equal(
            "0600010074000000080002007336620008000300000000040800040000000008080005000000001008000a00000000010a000d000004020000000000",
            Body(new NftBatch().AddSet(new NftSet("t", "s6b", [NftDataType.Ipv6Address], IsInterval: true))));
    }

    // add map inet t vm2 { type ifname : verdict; }
    [Fact]
    public void Set_IfnameVerdictMap_MatchesNft()
    {
        Assert.Equal(
            "060001007400000008000200766d320008000300000000080800040000000029080005000000001008000600ffffff00080007000000000008000a000000000116000d000004010000000104000000000604000000000000",
            Body(new NftBatch().AddSet(new NftSet("t", "vm2", [NftDataType.InterfaceName], IsVerdictMap: true))));
    }

    // add map inet t vm3 { type ipv4_addr : verdict; flags interval; }
    [Fact]
    public void Set_AddressIntervalVerdictMap_MatchesNft()
    {
        Assert.Equal(
            "060001007400000008000200766d3300080003000000000c0800040000000007080005000000000408000600ffffff00080007000000000008000a000000000116000d000004020000000104000000000604000000000000",
            Body(new NftBatch().AddSet(new NftSet("t", "vm3", [NftDataType.Ipv4Address], IsInterval: true, IsVerdictMap: true))));
    }

    // add set inet t scb { type ipv4_addr . inet_proto . inet_service; flags interval; }
    // Equal up to USERDATA: nft also writes a TLV 3 there that only its own parser reads; the
    // integration round-trip shows `nft list` prints our set right without it.
    [Fact]
    public void Set_ConcatenatedInterval_MatchesNftUpToUserData()
    {
        const string Nft = "060001007400000008000200736362000800030000000084080004000000730d080005000000000c08000a00000000012c000980280002800c00018008000100000000040c00018008000100000000010c000180080001000000000214000d00000400000000030800040d0000000100";
        var ours = Body(new NftBatch().AddSet(new NftSet("t", "scb", [NftDataType.Ipv4Address, NftDataType.InetProtocol, NftDataType.InetService], IsInterval: true)));
        var userData = Nft.IndexOf("14000d00", StringComparison.Ordinal);
        Assert.Equal(Nft[..userData], ours[..userData]);
        Assert.Equal("0a000d00000400000000" + "0000", ours[userData..]);
    }

    // add element inet t s6 { fd00::1 }   (nft's NFTA_SET_ELEM_LIST_SET_ID 08000400 00000002 cut out)
    [Fact]
    public void Element_Ipv6_MatchesNft()
    {
        var key = IPAddress.Parse("fd00::1").GetAddressBytes();
        Assert.Equal(
            "06000100740000000700020073360000" + "200003801c0001801800018014000100fd000000000000000000000000000001",
            Body(new NftBatch().AddElement("t", "s6", key)));
    }

    // delete element inet t s6 { fd00::1 }
    [Fact]
    public void DeleteElement_Ipv6_MatchesNft()
    {
        Assert.Equal(
            "06000100740000000700020073360000200003801c0001801800018014000100fd000000000000000000000000000001",
            Body(new NftBatch().DeleteElement("t", "s6", IPAddress.Parse("fd00::1").GetAddressBytes())));
    }

    // add element inet t s4 { 10.1.0.0/16 }  (into the empty set: nft adds the 0.0.0.0 end marker first)
    [Fact]
    public void Element_Ipv4IntervalAsStartAndEndElements_MatchesNft()
    {
        var batch = new NftBatch()
            .AddElement("t", "s4", [0, 0, 0, 0], intervalEnd: true)
            .AddElement("t", "s4", [10, 1, 0, 0])
            .AddElement("t", "s4", [10, 2, 0, 0], intervalEnd: true);
        Assert.Equal(1, batch.Count);
        Assert.Equal(
            "06000100740000000700020073340000" + "440003801800018008000300000000010c0001800800010000000000100002800c000180080001000a0100001800038008000300000000010c000180080001000a020000",
            Body(batch));
    }

    // add element inet t vm { "rn12" : goto w }
    [Fact]
    public void Element_IfnameGotoVerdict_MatchesNft()
    {
        var key = new byte[16];
        "rn12"u8.CopyTo(key);
        Assert.Equal(
            "060001007400000007000200766d0000" + "38000380340001801800018014000100726e3132000000000000000000000000180002801400028008000100fffffffc0600020077000000",
            Body(new NftBatch().AddElement("t", "vm", key, verdict: NftVerdict.Goto("w"))));
    }

    // add element inet t scb { 10.0.0.0/24 . tcp . 80-90 }
    [Fact]
    public void Element_ConcatenatedRangeWithKeyEnd_MatchesNft()
    {
        byte[] start = [10, 0, 0, 0, 6, 0, 0, 0, 0, 80, 0, 0];
        byte[] end = [10, 0, 0, 255, 6, 0, 0, 0, 0, 90, 0, 0];
        Assert.Equal(
            "06000100740000000800020073636200" + "300003802c00018014000180100001000a000000060000000050000014000a80100001000a0000ff06000000005a0000",
            Body(new NftBatch().AddElement("t", "scb", start, end)));
    }

    // nft --debug=netlink add rule inet t w ip saddr . meta l4proto . th dport @sc jump w, and the other shapes above
    [Fact]
    public void ExpressionText_MatchesNftDebugNetlink()
    {
        string[] expected =
        [
            "[ meta load nfproto => reg 1 ]",
            "[ cmp eq reg 1 0x00000002 ]",
            "[ payload load 4b @ network header + 12 => reg 1 ]",
            "[ meta load l4proto => reg 9 ]",
            "[ payload load 2b @ transport header + 2 => reg 10 ]",
            "[ lookup reg 1 set sc ]",
            "[ immediate reg 0 jump -> w ]",
            "[ lookup reg 1 set vm dreg 0 ]",
            "[ cmp eq reg 1 0x30687465 0x00000000 0x00000000 0x00000000 ]",
            "[ ct load state => reg 1 ]",
            "[ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ]",
            "[ cmp neq reg 1 0x00000000 ]",
            "[ cmp gte reg 1 0x0000e803 ]",
            "[ immediate reg 0 goto -> w ]",
            "[ lookup reg 1 set s4 0x1 ]",
            "[ log group 5 snaplen 0 qthreshold 0 ]",
            "[ immediate reg 0 return ]",
            "[ limit rate 10/second burst 5 type packets flags 0x0 ]",
            "[ reject type 2 code 1 ]",
            "[ counter pkts 0 bytes 0 ]",
            "[ immediate reg 1 0x00000005 ]",
            "[ meta set mark with reg 1 ]",
            "[ byteorder reg 9 = hton(reg 9, 2, 1) ]",
        ];
        NftExpression[] ours =
        [
            NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol),
            NftExpression.CompareHost(NftCompareOp.Equal, 2, length: 1),
            NftExpression.PayloadLoad(NftPayloadBase.Network, 12, 4),
            NftExpression.MetaLoad(NftMetaKey.Layer4Protocol, register: 9),
            NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2, register: 10),
            NftExpression.Lookup("sc"),
            NftExpression.Verdict(NftVerdict.Jump("w")),
            NftExpression.Lookup("vm", destinationRegister: 0),
            NftExpression.CompareInterfaceName("eth0"),
            NftExpression.CtState(),
            NftExpression.Bitwise([6, 0, 0, 0], [0, 0, 0, 0]),
            NftExpression.CompareHost(NftCompareOp.NotEqual, 0),
            NftExpression.Compare(NftCompareOp.GreaterOrEqual, Port(1000)),
            NftExpression.Verdict(NftVerdict.Goto("w")),
            NftExpression.Lookup("s4", invert: true),
            NftExpression.LogGroup(5),
            NftExpression.Verdict(NftVerdict.Return),
            NftExpression.Limit(10),
            NftExpression.Reject(),
            NftExpression.Counter(),
            NftExpression.Immediate([5, 0, 0, 0]),
            NftExpression.MetaSet(NftMetaKey.Mark),
            NftExpression.ByteOrderToNetwork(9, 1, 2),
        ];
        Assert.Equal(expected, ours.Select(e => e.ToString()));
    }

    // nft --debug=netlink add rule inet routednet fw-rn12 ip saddr . meta l4proto . th dport @ranges drop
    // (ranges: a concatenated interval set); the expression's data as the kernel dumps it back.
    [Fact]
    public void ByteOrder_MatchesNft()
    {
        Assert.Equal(
            "08000100000000090800020000000009080003000000000108000400000000010800050000000002",
            Hex.Of(NftExpression.ByteOrderToNetwork(9, 1, 2).Data));
    }

    [Fact]
    public void Batch_BeginAndEndCarryTheSubsystemAndGeneration()
    {
        var batch = new NftBatch().AddTable("t");
        var datagram = Hex.Of(batch.Seal(100, generation: 7));
        Assert.StartsWith("1c000000 1000 0100 64000000 00000000 00 00 000a 0800 0100 00000007".Replace(" ", "", StringComparison.Ordinal), datagram);
        Assert.EndsWith("14000000 1100 0100 66000000 00000000 00 00 000a".Replace(" ", "", StringComparison.Ordinal), datagram);
        Assert.Contains("000a 0504 65000000".Replace(" ", "", StringComparison.Ordinal), datagram);
    }

    [Fact]
    public void Batch_RuleCommentLongerThanNftAllows_IsRefused()
    {
        var rule = new NftRule("t", "c", [NftExpression.Verdict(NftVerdict.Accept)], new string('x', 128));
        var error = Assert.Throws<ArgumentException>(() => new NftBatch().AddRule(rule));
        Assert.Contains("longer than 127", error.Message, StringComparison.Ordinal);
    }
}
