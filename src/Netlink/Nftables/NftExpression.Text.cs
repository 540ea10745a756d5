using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// The `nft --debug=netlink` spelling of an expression ("[ payload load 4b @ network header + 12 => reg 1 ]"),
/// for golden tests, read-back comparison and error texts. Unknown expressions print their name
/// and attribute bytes, so a read-back still notices when they differ.
/// </summary>
public sealed partial class NftExpression
{
    /// <summary>The nft debug line; counters print as "[ counter pkts P bytes B ]" with the dumped values.</summary>
    public override string ToString() => Describe(includeCounters: true);

    /// <summary>The nft debug line; without counter values when <paramref name="includeCounters"/> is false (for comparing rules).</summary>
    public string Describe(bool includeCounters)
    {
        var a = new Dictionary<ushort, byte[]>();
        foreach (var attribute in new AttributeReader(_data))
        {
            a[attribute.Type] = attribute.Value.ToArray();
        }
        var text = Name switch
        {
            "meta" when a.ContainsKey(NfTables.NFTA_META_DREG) => $"meta load {MetaName(U32(a, NfTables.NFTA_META_KEY))} => reg {U32(a, NfTables.NFTA_META_DREG)}",
            "meta" => $"meta set {MetaName(U32(a, NfTables.NFTA_META_KEY))} with reg {U32(a, NfTables.NFTA_META_SREG)}",
            "cmp" => $"cmp {CmpName(U32(a, NfTables.NFTA_CMP_OP))} reg {U32(a, NfTables.NFTA_CMP_SREG)} {Words(Value(a, NfTables.NFTA_CMP_DATA))}",
            "payload" => $"payload load {U32(a, NfTables.NFTA_PAYLOAD_LEN)}b @ {BaseName(U32(a, NfTables.NFTA_PAYLOAD_BASE))} header + {U32(a, NfTables.NFTA_PAYLOAD_OFFSET)} => reg {U32(a, NfTables.NFTA_PAYLOAD_DREG)}",
            "lookup" => $"lookup reg {U32(a, NfTables.NFTA_LOOKUP_SREG)} set {Str(a, NfTables.NFTA_LOOKUP_SET)}"
                + (a.ContainsKey(NfTables.NFTA_LOOKUP_DREG) ? $" dreg {U32(a, NfTables.NFTA_LOOKUP_DREG)}" : "")
                + (a.ContainsKey(NfTables.NFTA_LOOKUP_FLAGS) && U32(a, NfTables.NFTA_LOOKUP_FLAGS) != 0 ? $" 0x{U32(a, NfTables.NFTA_LOOKUP_FLAGS):x}" : ""),
            "immediate" => $"immediate reg {U32(a, NfTables.NFTA_IMMEDIATE_DREG)} {ImmediateText(a)}",
            "counter" => includeCounters ? $"counter pkts {U64(a, NfTables.NFTA_COUNTER_PACKETS)} bytes {U64(a, NfTables.NFTA_COUNTER_BYTES)}" : "counter",
            "ct" => $"ct load {(U32(a, NfTables.NFTA_CT_KEY) == NfTables.NFT_CT_STATE ? "state" : "key " + U32(a, NfTables.NFTA_CT_KEY))} => reg {U32(a, NfTables.NFTA_CT_DREG)}",
            "bitwise" => $"bitwise reg {U32(a, NfTables.NFTA_BITWISE_DREG)} = ( reg {U32(a, NfTables.NFTA_BITWISE_SREG)} & {Words(Value(a, NfTables.NFTA_BITWISE_MASK))} ) ^ {Words(Value(a, NfTables.NFTA_BITWISE_XOR))}",
            "range" => $"range {CmpName(U32(a, NfTables.NFTA_RANGE_OP))} reg {U32(a, NfTables.NFTA_RANGE_SREG)} {Words(Value(a, NfTables.NFTA_RANGE_FROM_DATA))} {Words(Value(a, NfTables.NFTA_RANGE_TO_DATA))}",
            "byteorder" => $"byteorder reg {U32(a, NfTables.NFTA_BYTEORDER_DREG)} = {(U32(a, NfTables.NFTA_BYTEORDER_OP) == NfTables.NFT_BYTEORDER_HTON ? "hton" : "ntoh")}(reg {U32(a, NfTables.NFTA_BYTEORDER_SREG)}, {U32(a, NfTables.NFTA_BYTEORDER_SIZE)}, {U32(a, NfTables.NFTA_BYTEORDER_LEN)})",
            "log" => $"log {(a.TryGetValue(NfTables.NFTA_LOG_PREFIX, out var prefix) ? "prefix " + System.Text.Encoding.UTF8.GetString(prefix).TrimEnd('\0') + " " : "")}group {(a.TryGetValue(NfTables.NFTA_LOG_GROUP, out var g) && g.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(g) : 0)} snaplen 0 qthreshold 0",
            "limit" => $"limit rate {U64(a, NfTables.NFTA_LIMIT_RATE)}/{UnitName(U64(a, NfTables.NFTA_LIMIT_UNIT))} burst {U32(a, NfTables.NFTA_LIMIT_BURST)} type {(U32(a, NfTables.NFTA_LIMIT_TYPE) == 0 ? "packets" : "bytes")} flags 0x{U32(a, NfTables.NFTA_LIMIT_FLAGS):x}",
            "reject" => $"reject type {U32(a, NfTables.NFTA_REJECT_TYPE)} code {(a.TryGetValue(NfTables.NFTA_REJECT_ICMP_CODE, out var c) && c.Length > 0 ? c[0] : 0)}",
            _ => $"{Name} {Convert.ToHexStringLower(_data)}",
        };
        return "[ " + text + " ]";
    }

    private static string ImmediateText(Dictionary<ushort, byte[]> a)
    {
        if (!a.TryGetValue(NfTables.NFTA_IMMEDIATE_DATA, out var data))
        {
            return "";
        }
        var attribute = new NetlinkAttribute(NfTables.NFTA_IMMEDIATE_DATA, data);
        return attribute.DataVerdict() is { } verdict ? verdict.ToString() : Words(attribute.DataValue());
    }

    private static uint U32(Dictionary<ushort, byte[]> a, ushort type) =>
        a.TryGetValue(type, out var v) && v.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(v) : 0;

    private static ulong U64(Dictionary<ushort, byte[]> a, ushort type) =>
        a.TryGetValue(type, out var v) && v.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;

    private static string Str(Dictionary<ushort, byte[]> a, ushort type) =>
        a.TryGetValue(type, out var v) ? new NetlinkAttribute(type, v).AsString() : "";

    private static ReadOnlySpan<byte> Value(Dictionary<ushort, byte[]> a, ushort type) =>
        a.TryGetValue(type, out var v) ? new NetlinkAttribute(type, v).DataValue() : [];

    /// <summary>nft prints data as 32-bit host-order words ("0x00006e72" for "rn").</summary>
    private static string Words(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder();
        Span<byte> word = stackalloc byte[4];
        for (var i = 0; i < value.Length; i += 4)
        {
            word.Clear();
            value[i..Math.Min(i + 4, value.Length)].CopyTo(word);
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(CultureInfo.InvariantCulture, $"0x{BinaryPrimitives.ReadUInt32LittleEndian(word):x8}");
        }
        return text.ToString();
    }

    private static string MetaName(uint key) => key switch
    {
        3 => "mark",
        6 => "iifname",
        7 => "oifname",
        15 => "nfproto",
        16 => "l4proto",
        _ => "key " + key.ToString(CultureInfo.InvariantCulture),
    };

    private static string CmpName(uint op) => op switch
    {
        0 => "eq",
        1 => "neq",
        2 => "lt",
        3 => "lte",
        4 => "gt",
        5 => "gte",
        _ => "op " + op.ToString(CultureInfo.InvariantCulture),
    };

    private static string BaseName(uint b) => b switch
    {
        0 => "link",
        1 => "network",
        2 => "transport",
        _ => "base " + b.ToString(CultureInfo.InvariantCulture),
    };

    private static string UnitName(ulong seconds) => seconds switch
    {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        _ => seconds.ToString(CultureInfo.InvariantCulture) + "s",
    };
}
