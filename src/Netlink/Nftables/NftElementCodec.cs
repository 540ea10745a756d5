using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// NFT_MSG_NEWSETELEM / DELSETELEM / GETSETELEM: NFTA_SET_ELEM_LIST_{TABLE, SET, ELEMENTS { LIST_ELEM
/// { [FLAGS INTERVAL_END] KEY { VALUE } [KEY_END { VALUE }] [DATA { VERDICT }] } } }. The element list
/// is one nested attribute, so one message holds at most 64 KiB of elements: callers start a new
/// message when <see cref="MaxElementLength"/> no longer fits.
/// </summary>
internal static class NftElementCodec
{
    /// <summary>Room for elements in one message: nested attribute lengths are 16 bits.</summary>
    public const int ElementsLimit = 60 * 1024;

    public static int MaxElementLength(int keyLength, int keyEndLength, string? chain) => 64 + 2 * keyLength + keyEndLength + (chain?.Length ?? 0);

    public static int Begin(ref NetlinkWriter writer, bool add, string table, string set, uint sequence, out int elements)
    {
        var flags = (ushort)(NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK | (add ? NetlinkProtocol.NLM_F_CREATE : 0));
        var start = writer.BeginNftMessage(add ? NfTables.NFT_MSG_NEWSETELEM : NfTables.NFT_MSG_DELSETELEM, flags, sequence);
        writer.WriteString(NfTables.NFTA_SET_ELEM_LIST_TABLE, table);
        writer.WriteString(NfTables.NFTA_SET_ELEM_LIST_SET, set);
        elements = writer.BeginNest(NfTables.NFTA_SET_ELEM_LIST_ELEMENTS);
        return start;
    }

    public static void WriteElement(ref NetlinkWriter writer, ushort index, scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> keyEnd, NftVerdict? verdict, bool intervalEnd)
    {
        // nft numbers the elements of a message 1, 2, ... in the attribute type; the kernel reads any type.
        var element = writer.BeginNest(index);
        if (intervalEnd)
        {
            writer.WriteBe32(NfTables.NFTA_SET_ELEM_FLAGS, NfTables.NFT_SET_ELEM_INTERVAL_END);
        }
        writer.WriteData(NfTables.NFTA_SET_ELEM_KEY, key);
        if (!keyEnd.IsEmpty)
        {
            writer.WriteData(NfTables.NFTA_SET_ELEM_KEY_END, keyEnd);
        }
        if (verdict is { } v)
        {
            writer.WriteVerdictData(NfTables.NFTA_SET_ELEM_DATA, v);
        }
        writer.EndNested(element);
    }

    public static void End(ref NetlinkWriter writer, int start, int elements)
    {
        writer.EndNested(elements);
        writer.EndMessage(start);
    }

    public static void WriteDump(ref NetlinkWriter writer, string table, string set)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_GETSETELEM, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        writer.WriteString(NfTables.NFTA_SET_ELEM_LIST_TABLE, table);
        writer.WriteString(NfTables.NFTA_SET_ELEM_LIST_SET, set);
        writer.EndMessage(start);
    }

    /// <summary>Adds every element of one dumped message to <paramref name="elements"/>.</summary>
    public static void Read(ReadOnlySpan<byte> payload, List<NftSetElement> elements)
    {
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            if (attribute.Type != NfTables.NFTA_SET_ELEM_LIST_ELEMENTS)
            {
                continue;
            }
            foreach (var element in attribute.Nested())
            {
                byte[] key = [];
                byte[]? keyEnd = null;
                NftVerdict? verdict = null;
                var intervalEnd = false;
                foreach (var field in element.Nested())
                {
                    switch (field.Type)
                    {
                        case NfTables.NFTA_SET_ELEM_KEY:
                            key = field.DataValue().ToArray();
                            break;
                        case NfTables.NFTA_SET_ELEM_KEY_END:
                            keyEnd = field.DataValue().ToArray();
                            break;
                        case NfTables.NFTA_SET_ELEM_DATA:
                            verdict = field.DataVerdict();
                            break;
                        case NfTables.NFTA_SET_ELEM_FLAGS:
                            intervalEnd = (field.AsBe32() & NfTables.NFT_SET_ELEM_INTERVAL_END) != 0;
                            break;
                    }
                }
                elements.Add(new NftSetElement(key, keyEnd, verdict, intervalEnd));
            }
        }
    }
}
