using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// nf_tables' additions to <see cref="NetlinkWriter"/>: the nfgenmsg header, big-endian integers
/// (every nf_tables integer attribute is NLA_BE32/NLA_BE64) and nested attributes flagged
/// NLA_F_NESTED, as `nft` sends them.
/// </summary>
internal static class NftAttributes
{
    /// <summary>Writes nlmsghdr + struct nfgenmsg { family, NFNETLINK_V0, res_id (big-endian) }.</summary>
    public static int BeginNftMessage(this ref NetlinkWriter writer, ushort message, ushort flags, uint sequence, byte family = NfTables.NFPROTO_INET, ushort resourceId = 0) =>
        writer.BeginNetfilterMessage(NfTables.NFNL_SUBSYS_NFTABLES, message, flags, sequence, family, resourceId);

    /// <summary>An nfnetlink message of any subsystem (nf_tables, nfnetlink_log, ctnetlink): header, then struct nfgenmsg.</summary>
    public static int BeginNetfilterMessage(this ref NetlinkWriter writer, ushort subsystem, ushort message, ushort flags, uint sequence, byte family, ushort resourceId)
    {
        var start = writer.BeginMessage((ushort)((subsystem << 8) | message), flags, sequence);
        var header = writer.Reserve(4);
        header[0] = family;
        header[1] = NfTables.NFNETLINK_V0;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], resourceId);
        return start;
    }

    public static void WriteBe32(this ref NetlinkWriter writer, ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        writer.WriteAttribute(type, bytes);
    }

    public static void WriteBe64(this ref NetlinkWriter writer, ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        writer.WriteAttribute(type, bytes);
    }

    public static int BeginNest(this ref NetlinkWriter writer, ushort type) =>
        writer.BeginNested((ushort)(type | NetlinkProtocol.NLA_F_NESTED));

    /// <summary>struct nft_data holding a value: NESTED(type) { NFTA_DATA_VALUE bytes }.</summary>
    public static void WriteData(this ref NetlinkWriter writer, ushort type, scoped ReadOnlySpan<byte> value)
    {
        var nest = writer.BeginNest(type);
        writer.WriteAttribute(NfTables.NFTA_DATA_VALUE, value);
        writer.EndNested(nest);
    }

    /// <summary>struct nft_data holding a verdict: NESTED(type) { NFTA_DATA_VERDICT { CODE, CHAIN } }.</summary>
    public static void WriteVerdictData(this ref NetlinkWriter writer, ushort type, NftVerdict verdict)
    {
        var nest = writer.BeginNest(type);
        var inner = writer.BeginNest(NfTables.NFTA_DATA_VERDICT);
        writer.WriteBe32(NfTables.NFTA_VERDICT_CODE, unchecked((uint)verdict.Code));
        if (verdict.Chain is not null)
        {
            writer.WriteString(NfTables.NFTA_VERDICT_CHAIN, verdict.Chain);
        }
        writer.EndNested(inner);
        writer.EndNested(nest);
    }

    public static uint AsBe32(this NetlinkAttribute attribute) =>
        attribute.Value.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(attribute.Value) : throw new InvalidDataException($"nf_tables attribute {attribute.Type} has {attribute.Value.Length} bytes, 4 needed");

    public static ulong AsBe64(this NetlinkAttribute attribute) =>
        attribute.Value.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(attribute.Value) : throw new InvalidDataException($"nf_tables attribute {attribute.Type} has {attribute.Value.Length} bytes, 8 needed");

    /// <summary>The value of an nft_data attribute (NFTA_DATA_VALUE), or empty when it holds a verdict.</summary>
    public static ReadOnlySpan<byte> DataValue(this NetlinkAttribute attribute)
    {
        foreach (var inner in attribute.Nested())
        {
            if (inner.Type == NfTables.NFTA_DATA_VALUE)
            {
                return inner.Value;
            }
        }
        return [];
    }

    /// <summary>The verdict of an nft_data attribute (NFTA_DATA_VERDICT), or null when it holds a value.</summary>
    public static NftVerdict? DataVerdict(this NetlinkAttribute attribute)
    {
        foreach (var inner in attribute.Nested())
        {
            if (inner.Type == NfTables.NFTA_DATA_VERDICT)
            {
                return inner.Verdict();
            }
        }
        return null;
    }

    /// <summary>A verdict nest (enum nft_verdict_attributes: code, chain), as in NFTA_DATA_VERDICT and NFTA_TRACE_VERDICT.</summary>
    public static NftVerdict Verdict(this NetlinkAttribute attribute)
    {
        int code = 0;
        string? chain = null;
        foreach (var field in attribute.Nested())
        {
            switch (field.Type)
            {
                case NfTables.NFTA_VERDICT_CODE:
                    code = unchecked((int)field.AsBe32());
                    break;
                case NfTables.NFTA_VERDICT_CHAIN:
                    chain = field.AsString();
                    break;
            }
        }
        return new NftVerdict(code, chain);
    }
}
