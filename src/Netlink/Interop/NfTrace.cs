namespace RoutedNet.Netlink.Interop;

/// <summary>
/// nf_tables trace events (`meta nftrace set 1`; what `nft monitor trace` prints): constants
/// spelled as in linux/netfilter/nfnetlink.h and nf_tables.h. Integers in these messages are big-endian.
/// </summary>
internal static class NfTrace
{
    /// <summary>The multicast group trace events go to (enum nfnetlink_groups).</summary>
    public const int NFNLGRP_NFTRACE = 9;

    /// <summary>enum nf_tables_msg_types: after NFT_MSG_GETGEN (16).</summary>
    public const ushort NFT_MSG_TRACE = 17;

    public const ushort NFTA_TRACE_TABLE = 1;
    public const ushort NFTA_TRACE_CHAIN = 2;
    public const ushort NFTA_TRACE_RULE_HANDLE = 3;
    public const ushort NFTA_TRACE_TYPE = 4;
    public const ushort NFTA_TRACE_VERDICT = 5;
    public const ushort NFTA_TRACE_ID = 6;
    public const ushort NFTA_TRACE_NETWORK_HEADER = 8;
    public const ushort NFTA_TRACE_TRANSPORT_HEADER = 9;
    public const ushort NFTA_TRACE_IIF = 10;
    public const ushort NFTA_TRACE_OIF = 12;
    public const ushort NFTA_TRACE_MARK = 14;
    public const ushort NFTA_TRACE_NFPROTO = 15;
    public const ushort NFTA_TRACE_POLICY = 16;

    public const uint NFT_TRACETYPE_POLICY = 1;
    public const uint NFT_TRACETYPE_RETURN = 2;
    public const uint NFT_TRACETYPE_RULE = 3;
}
