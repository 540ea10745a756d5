using RoutedNet.Netlink.Interop;
using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Nftables;

/// <summary>
/// NFT_MSG_NEWCHAIN / DELCHAIN / GETCHAIN. A base chain carries NFTA_CHAIN_TYPE "filter",
/// NFTA_CHAIN_POLICY and NFTA_CHAIN_HOOK { HOOKNUM, PRIORITY }, in the order nft sends them.
/// </summary>
internal static class NftChainCodec
{
    public static void WriteAdd(ref NetlinkWriter writer, NftChain chain, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_NEWCHAIN, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_CHAIN_TABLE, chain.Table);
        writer.WriteString(NfTables.NFTA_CHAIN_NAME, chain.Name);
        if (chain.Hook is { } hook)
        {
            writer.WriteString(NfTables.NFTA_CHAIN_TYPE, "filter");
            if (chain.Policy is { } policy)
            {
                writer.WriteBe32(NfTables.NFTA_CHAIN_POLICY, unchecked((uint)policy.Code));
            }
            var nest = writer.BeginNest(NfTables.NFTA_CHAIN_HOOK);
            writer.WriteBe32(NfTables.NFTA_HOOK_HOOKNUM, (uint)hook);
            writer.WriteBe32(NfTables.NFTA_HOOK_PRIORITY, unchecked((uint)chain.Priority));
            writer.EndNested(nest);
        }
        writer.EndMessage(start);
    }

    public static void WriteDelete(ref NetlinkWriter writer, string table, string name, uint sequence)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_DELCHAIN, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, sequence);
        writer.WriteString(NfTables.NFTA_CHAIN_TABLE, table);
        writer.WriteString(NfTables.NFTA_CHAIN_NAME, name);
        writer.EndMessage(start);
    }

    public static void WriteDump(ref NetlinkWriter writer, string table)
    {
        var start = writer.BeginNftMessage(NfTables.NFT_MSG_GETCHAIN, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, 0);
        writer.WriteString(NfTables.NFTA_CHAIN_TABLE, table);
        writer.EndMessage(start);
    }

    public static NftChain Read(ReadOnlySpan<byte> payload)
    {
        string? table = null, name = null;
        NftHook? hook = null;
        var priority = 0;
        NftVerdict? policy = null;
        ulong handle = 0;
        foreach (var attribute in new AttributeReader(payload[4..]))
        {
            switch (attribute.Type)
            {
                case NfTables.NFTA_CHAIN_TABLE:
                    table = attribute.AsString();
                    break;
                case NfTables.NFTA_CHAIN_NAME:
                    name = attribute.AsString();
                    break;
                case NfTables.NFTA_CHAIN_HANDLE:
                    handle = attribute.AsBe64();
                    break;
                case NfTables.NFTA_CHAIN_POLICY:
                    policy = new NftVerdict(unchecked((int)attribute.AsBe32()), null);
                    break;
                case NfTables.NFTA_CHAIN_HOOK:
                    foreach (var field in attribute.Nested())
                    {
                        if (field.Type == NfTables.NFTA_HOOK_HOOKNUM)
                        {
                            hook = (NftHook)field.AsBe32();
                        }
                        else if (field.Type == NfTables.NFTA_HOOK_PRIORITY)
                        {
                            priority = unchecked((int)field.AsBe32());
                        }
                    }
                    break;
            }
        }
        return new NftChain(table ?? throw new InvalidDataException("nf_tables chain without a table"), name ?? throw new InvalidDataException("nf_tables chain without a name"), hook, priority, hook is null ? null : policy) { Handle = handle };
    }
}
