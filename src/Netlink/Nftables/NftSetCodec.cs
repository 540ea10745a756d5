using System.Buffers.Binary;
using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// NFT_MSG_NEWSET / DELSET / GETSET. Besides the kernel's fields (flags, key type and length, data
/// type NFT_DATA_VERDICT for verdict maps, DESC_CONCAT field lengths) nft needs USERDATA hints to
/// print elements right: TLV { 0 = key byte order, 4, u32 } (1 host, 2 big-endian, 0 for
/// concatenations) and for maps { 1 = data byte order } and { 6 = data interval }, as nft 1.0.6 writes.
/// </summary>
internal static class NftSetCodec
{
    private const byte KeyByteOrderTlv = 0;
    private const byte DataByteOrderTlv = 1;
    private const byte DataIntervalTlv = 6;

    public static void WriteAdd(ref NetlinkWriter writer, NftSet set, uint setId, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_NEWSET, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_SET_TABLE, set.Table);
        writer.WriteString(NfTables.NFTA_SET_NAME, set.Name);
        var flags = (set.IsInterval ? NfTables.NFT_SET_INTERVAL : 0) | (set.IsVerdictMap ? NfTables.NFT_SET_MAP : 0) | (set.IsConcatenation ? NfTables.NFT_SET_CONCAT : 0);
        writer.WriteBe32(NfTables.NFTA_SET_FLAGS, flags);
        writer.WriteBe32(NfTables.NFTA_SET_KEY_TYPE, NftDataTypes.TypeId(set.Key));
        writer.WriteBe32(NfTables.NFTA_SET_KEY_LEN, (uint)set.KeyLength);
        if (set.IsVerdictMap)
        {
            writer.WriteBe32(NfTables.NFTA_SET_DATA_TYPE, NfTables.NFT_DATA_VERDICT);
            writer.WriteBe32(NfTables.NFTA_SET_DATA_LEN, 0);
        }
        writer.WriteBe32(NfTables.NFTA_SET_ID, setId);
        if (set.IsConcatenation)
        {
            var desc = writer.BeginNest(NfTables.NFTA_SET_DESC);
            var concat = writer.BeginNest(NfTables.NFTA_SET_DESC_CONCAT);
            foreach (var type in set.Key)
            {
                var field = writer.BeginNest(NfTables.NFTA_LIST_ELEM);
                writer.WriteBe32(NfTables.NFTA_SET_FIELD_LEN, (uint)NftDataTypes.Length(type));
                writer.EndNested(field);
            }
            writer.EndNested(concat);
            writer.EndNested(desc);
        }
        Span<byte> userData = stackalloc byte[18];
        var keyOrder = set.IsConcatenation ? 0u : NftDataTypes.IsBigEndian(set.Key[0]) ? 2u : 1u;
        var length = WriteTlv(userData, KeyByteOrderTlv, keyOrder);
        if (set.IsVerdictMap)
        {
            length += WriteTlv(userData[length..], DataByteOrderTlv, 0);
            length += WriteTlv(userData[length..], DataIntervalTlv, 0);
        }
        writer.WriteAttribute(NfTables.NFTA_SET_USERDATA, userData[..length]);
        writer.EndMessage(start);
    }

    public static void WriteDelete(ref NetlinkWriter writer, string table, string name, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_DELSET, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_SET_TABLE, table);
        writer.WriteString(NfTables.NFTA_SET_NAME, name);
        writer.EndMessage(start);
    }

    public static void WriteDump(ref NetlinkWriter writer, string table)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_GETSET, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        writer.WriteString(NfTables.NFTA_SET_TABLE, table);
        writer.EndMessage(start);
    }

    public static NftSet Read(ReadOnlySpan<byte> payload)
    {
        string? table = null, name = null;
        uint flags = 0, keyType = 0;
        ulong handle = 0;
        var fieldLengths = new List<int>();
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            switch (attribute.Type)
            {
                case NfTables.NFTA_SET_TABLE:
                    table = attribute.AsString();
                    break;
                case NfTables.NFTA_SET_NAME:
                    name = attribute.AsString();
                    break;
                case NfTables.NFTA_SET_FLAGS:
                    flags = attribute.AsBe32();
                    break;
                case NfTables.NFTA_SET_KEY_TYPE:
                    keyType = attribute.AsBe32();
                    break;
                case NfTables.NFTA_SET_HANDLE:
                    handle = attribute.AsBe64();
                    break;
            }
        }
        // The key types come back from the type id nft (and we) stored: 6 bits per field.
        var key = new List<NftDataType>();
        for (var id = keyType; id != 0; id >>= 6)
        {
            key.Insert(0, (NftDataType)(id & 0x3f));
        }
        return new NftSet(
            table ?? throw new InvalidDataException("nf_tables set without a table"),
            name ?? throw new InvalidDataException("nf_tables set without a name"),
            key,
            (flags & NfTables.NFT_SET_INTERVAL) != 0,
            (flags & NfTables.NFT_SET_MAP) != 0) { Handle = handle };
    }

    private static int WriteTlv(Span<byte> destination, byte type, uint value)
    {
        destination[0] = type;
        destination[1] = 4;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[2..], value);
        return 6;
    }
}
