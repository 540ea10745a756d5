using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>NFT_MSG_NEWTABLE / DELTABLE / GETTABLE: NFTA_TABLE_NAME, NFTA_TABLE_FLAGS (never NFT_TABLE_F_OWNER).</summary>
internal static class NftTableCodec
{
    public static void WriteAdd(ref NetlinkWriter writer, string name, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_NEWTABLE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_TABLE_NAME, name);
        // Flags 0: no dormant, and no owner: an owned table would vanish with our socket, opening the node when the agent dies.
        writer.WriteBe32(NfTables.NFTA_TABLE_FLAGS, 0);
        writer.EndMessage(start);
    }

    public static void WriteDelete(ref NetlinkWriter writer, string name, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_DELTABLE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_TABLE_NAME, name);
        writer.EndMessage(start);
    }

    public static void WriteDump(ref NetlinkWriter writer)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_GETTABLE, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        writer.EndMessage(start);
    }

    public static NftTable Read(ReadOnlySpan<byte> payload)
    {
        string? name = null;
        ulong handle = 0;
        uint flags = 0;
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            switch (attribute.Type)
            {
                case NfTables.NFTA_TABLE_NAME:
                    name = attribute.AsString();
                    break;
                case NfTables.NFTA_TABLE_HANDLE:
                    handle = attribute.AsBe64();
                    break;
                case NfTables.NFTA_TABLE_FLAGS:
                    flags = attribute.AsBe32();
                    break;
            }
        }
        return new NftTable(name ?? throw new InvalidDataException("nf_tables table without a name"), handle, flags);
    }
}
