using System.Buffers.Binary;
using System.Text;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// The expressions issue 16's rules are made of, encoded attribute for attribute in the order
/// `nft` 1.0.6 sends them (the golden tests in Netlink.Tests/Nftables compare the bytes).
/// Registers: 1 is the first 128-bit register (NFT_REG_1); 9, 10, ... are 32-bit registers
/// (NFT_REG32_01, ...) that concatenated keys are loaded into; 0 is the verdict register.
/// </summary>
public sealed partial class NftExpression
{
    private delegate void DataWriter(ref NetlinkWriter writer);

    /// <summary>`meta load KEY => reg R` (iifname, oifname, nfproto, l4proto, mark).</summary>
    public static NftExpression MetaLoad(NftMetaKey key, uint register = NfTables.NFT_REG_1) => Build("meta", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_META_KEY, (uint)key);
        w.WriteBe32(NfTables.NFTA_META_DREG, register);
    });

    /// <summary>`meta set KEY with reg R` (mark).</summary>
    public static NftExpression MetaSet(NftMetaKey key, uint register = NfTables.NFT_REG_1) => Build("meta", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_META_KEY, (uint)key);
        w.WriteBe32(NfTables.NFTA_META_SREG, register);
    });

    /// <summary>`cmp OP reg R DATA`: compares the register with <paramref name="data"/> (network order for addresses and ports).</summary>
    public static NftExpression Compare(NftCompareOp op, ReadOnlySpan<byte> data, uint register = NfTables.NFT_REG_1)
    {
        var value = data.ToArray();
        return Build("cmp", (ref w) =>
        {
            w.WriteBe32(NfTables.NFTA_CMP_SREG, register);
            w.WriteBe32(NfTables.NFTA_CMP_OP, (uint)op);
            w.WriteData(NfTables.NFTA_CMP_DATA, value);
        });
    }

    /// <summary>`cmp eq` with a 32-bit host-order value (nfproto, l4proto, mark).</summary>
    public static NftExpression CompareHost(NftCompareOp op, uint value, int length = 4, uint register = NfTables.NFT_REG_1)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Compare(op, bytes[..length], register);
    }

    /// <summary>
    /// `cmp eq` of an interface name: the name's bytes, and a terminating NUL unless it ends in "*"
    /// (a prefix match, `iifname "rn*"`). Exact names are padded to IFNAMSIZ, as nft does.
    /// </summary>
    public static NftExpression CompareInterfaceName(string name, NftCompareOp op = NftCompareOp.Equal)
    {
        ArgumentNullException.ThrowIfNull(name);
        var prefix = name.EndsWith('*');
        var text = Encoding.ASCII.GetBytes(prefix ? name[..^1] : name);
        if (text.Length > 15)
        {
            throw new ArgumentException($"interface name '{name}' is longer than 15 characters", nameof(name));
        }
        return Compare(op, prefix ? text : text.Concat(new byte[16 - text.Length]).ToArray());
    }

    /// <summary>`payload load LENb @ BASE header + OFFSET => reg R`.</summary>
    public static NftExpression PayloadLoad(NftPayloadBase payloadBase, uint offset, uint length, uint register = NfTables.NFT_REG_1) => Build("payload", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_PAYLOAD_DREG, register);
        w.WriteBe32(NfTables.NFTA_PAYLOAD_BASE, (uint)payloadBase);
        w.WriteBe32(NfTables.NFTA_PAYLOAD_OFFSET, offset);
        w.WriteBe32(NfTables.NFTA_PAYLOAD_LEN, length);
    });

    /// <summary>
    /// `lookup reg R set NAME [dreg D]`: a set membership test, or with <paramref name="destinationRegister"/>
    /// 0 a verdict map. <paramref name="setId"/> names a set added in the same batch by its batch id
    /// (the name alone is enough for the kernel; nft sends both).
    /// </summary>
    public static NftExpression Lookup(string set, uint sourceRegister = NfTables.NFT_REG_1, uint? destinationRegister = null, bool invert = false, uint? setId = null) => Build("lookup", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_LOOKUP_SREG, sourceRegister);
        if (destinationRegister is { } dreg)
        {
            w.WriteBe32(NfTables.NFTA_LOOKUP_DREG, dreg);
        }
        w.WriteString(NfTables.NFTA_LOOKUP_SET, set);
        if (setId is { } id)
        {
            w.WriteBe32(NfTables.NFTA_LOOKUP_SET_ID, id);
        }
        if (invert)
        {
            w.WriteBe32(NfTables.NFTA_LOOKUP_FLAGS, NfTables.NFT_LOOKUP_F_INV);
        }
    });

    /// <summary>`immediate reg 0 VERDICT`.</summary>
    public static NftExpression Verdict(NftVerdict verdict) => Build("immediate", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_IMMEDIATE_DREG, NfTables.NFT_REG_VERDICT);
        w.WriteVerdictData(NfTables.NFTA_IMMEDIATE_DATA, verdict);
    });

    /// <summary>`immediate reg R VALUE` (a mark to set).</summary>
    public static NftExpression Immediate(ReadOnlySpan<byte> value, uint register = NfTables.NFT_REG_1)
    {
        var data = value.ToArray();
        return Build("immediate", (ref w) =>
        {
            w.WriteBe32(NfTables.NFTA_IMMEDIATE_DREG, register);
            w.WriteData(NfTables.NFTA_IMMEDIATE_DATA, data);
        });
    }

    /// <summary>`counter`: packets and bytes, read back by a rule dump.</summary>
    public static NftExpression Counter() => new("counter", []);

    /// <summary>`counter packets P bytes B`: a counter that starts at these values (what a dump of a counting rule holds).</summary>
    public static NftExpression Counter(ulong packets, ulong bytes) => Build("counter", (ref w) =>
    {
        w.WriteBe64(NfTables.NFTA_COUNTER_BYTES, bytes);
        w.WriteBe64(NfTables.NFTA_COUNTER_PACKETS, packets);
    });

    /// <summary>`ct load state => reg R`.</summary>
    public static NftExpression CtState(uint register = NfTables.NFT_REG_1) => CtLoad(NfTables.NFT_CT_STATE, register);

    /// <summary>`ct load mark => reg R`.</summary>
    public static NftExpression CtMark(uint register = NfTables.NFT_REG_1) => CtLoad(NfTables.NFT_CT_MARK, register);

    /// <summary>
    /// `ct mark and BITS == BITS`: ct load mark, bitwise with the bits as mask, cmp eq, as nft
    /// writes it (host byte order: the mark is a host-order u32).
    /// </summary>
    public static NftExpression[] CtMarkHas(uint bits)
    {
        Span<byte> mask = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(mask, bits);
        return [CtMark(), Bitwise(mask, [0, 0, 0, 0]), CompareHost(NftCompareOp.Equal, bits)];
    }

    /// <summary>`bitwise reg R = ( reg R &amp; MASK ) ^ XOR` over <paramref name="mask"/>.Length bytes.</summary>
    public static NftExpression Bitwise(ReadOnlySpan<byte> mask, ReadOnlySpan<byte> xor, uint register = NfTables.NFT_REG_1) =>
        Bitwise(mask, xor, register, withOperation: true);

    /// <summary>
    /// `ct state STATE,...`: ct load state, a mask of the states' bits, cmp neq 0, as nft writes it
    /// (its bitwise without NFTA_BITWISE_OP, which the kernel takes as the boolean operation).
    /// Bits: invalid 1, established 2, related 4, new 8, untracked 64.
    /// </summary>
    public static NftExpression[] CtStateIn(uint states)
    {
        Span<byte> mask = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(mask, states);
        return [CtState(), Bitwise(mask, [0, 0, 0, 0], NfTables.NFT_REG_1, withOperation: false), CompareHost(NftCompareOp.NotEqual, 0)];
    }

    private static NftExpression CtLoad(uint key, uint register) => Build("ct", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_CT_KEY, key);
        w.WriteBe32(NfTables.NFTA_CT_DREG, register);
    });

    private static NftExpression Bitwise(ReadOnlySpan<byte> mask, ReadOnlySpan<byte> xor, uint register, bool withOperation)
    {
        if (mask.Length != xor.Length)
        {
            throw new ArgumentException("bitwise mask and xor must have the same length", nameof(xor));
        }
        var m = mask.ToArray();
        var x = xor.ToArray();
        return Build("bitwise", (ref w) =>
        {
            w.WriteBe32(NfTables.NFTA_BITWISE_SREG, register);
            w.WriteBe32(NfTables.NFTA_BITWISE_DREG, register);
            if (withOperation)
            {
                w.WriteBe32(NfTables.NFTA_BITWISE_OP, 0); // NFT_BITWISE_BOOL
            }
            w.WriteBe32(NfTables.NFTA_BITWISE_LEN, (uint)m.Length);
            w.WriteData(NfTables.NFTA_BITWISE_MASK, m);
            w.WriteData(NfTables.NFTA_BITWISE_XOR, x);
        });
    }

    /// <summary>
    /// `byteorder reg R = hton(reg R, SIZE, LEN)`: converts a host-order value to network order in
    /// place. nft puts one after `meta l4proto` in a key looked up in a concatenated interval set.
    /// </summary>
    public static NftExpression ByteOrderToNetwork(uint register, uint length, uint size) => Build("byteorder", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_BYTEORDER_SREG, register);
        w.WriteBe32(NfTables.NFTA_BYTEORDER_DREG, register);
        w.WriteBe32(NfTables.NFTA_BYTEORDER_OP, NfTables.NFT_BYTEORDER_HTON);
        w.WriteBe32(NfTables.NFTA_BYTEORDER_LEN, length);
        w.WriteBe32(NfTables.NFTA_BYTEORDER_SIZE, size);
    });

    /// <summary>`range eq|neq reg R FROM TO` (inclusive; network order for ports).</summary>
    public static NftExpression Range(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool negate = false, uint register = NfTables.NFT_REG_1)
    {
        var f = from.ToArray();
        var t = to.ToArray();
        return Build("range", (ref w) =>
        {
            w.WriteBe32(NfTables.NFTA_RANGE_SREG, register);
            w.WriteBe32(NfTables.NFTA_RANGE_OP, negate ? 1u : 0u);
            w.WriteData(NfTables.NFTA_RANGE_FROM_DATA, f);
            w.WriteData(NfTables.NFTA_RANGE_TO_DATA, t);
        });
    }

    /// <summary>
    /// `log [prefix "P"] group N`: the packet goes to NFLOG group <paramref name="group"/>, tagged
    /// with <paramref name="prefix"/> (at most 127 bytes; RoutedNet puts a rule's short id there).
    /// </summary>
    public static NftExpression LogGroup(ushort group, string? prefix = null) => Build("log", (ref w) =>
    {
        if (prefix is not null)
        {
            w.WriteString(NfTables.NFTA_LOG_PREFIX, prefix);
        }
        Span<byte> value = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(value, group);
        w.WriteAttribute(NfTables.NFTA_LOG_GROUP, value);
    });

    /// <summary>`limit rate RATE/UNIT burst BURST packets`; <paramref name="unitSeconds"/> 1 = second, 60 = minute.</summary>
    public static NftExpression Limit(ulong rate, ulong unitSeconds = 1, uint burst = 5) => Build("limit", (ref w) =>
    {
        w.WriteBe64(NfTables.NFTA_LIMIT_RATE, rate);
        w.WriteBe64(NfTables.NFTA_LIMIT_UNIT, unitSeconds);
        w.WriteBe32(NfTables.NFTA_LIMIT_BURST, burst);
        w.WriteBe32(NfTables.NFTA_LIMIT_TYPE, 0); // NFT_LIMIT_PKTS
        w.WriteBe32(NfTables.NFTA_LIMIT_FLAGS, 0);
    });

    /// <summary>`reject`: an ICMP(v6) port unreachable for either family (NFT_REJECT_ICMPX_UNREACH, NFT_REJECT_ICMPX_PORT_UNREACH).</summary>
    public static NftExpression Reject() => Build("reject", (ref w) =>
    {
        w.WriteBe32(NfTables.NFTA_REJECT_TYPE, 2);
        w.WriteUInt8(NfTables.NFTA_REJECT_ICMP_CODE, 1);
    });

    private static NftExpression Build(string name, DataWriter write)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new NetlinkWriter(buffer);
        write(ref writer);
        return new NftExpression(name, writer.Written.ToArray());
    }
}
