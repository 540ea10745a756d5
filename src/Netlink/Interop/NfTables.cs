namespace RoutedNet.Netlink.Interop;

/// <summary>
/// nf_tables over nfnetlink: constants spelled as in linux/netfilter/nfnetlink.h, nf_tables.h and
/// netfilter.h (checked against the headers by Netlink.Tests' HeaderConstantsTests). Every
/// integer attribute of nf_tables is big-endian (NLA_BE32/NLA_BE64); strings are NUL-terminated.
/// </summary>
internal static class NfTables
{
    public const int NETLINK_NETFILTER = 12;

    // nfnetlink.h: struct nfgenmsg { u8 nfgen_family; u8 version; be16 res_id; } follows nlmsghdr.
    public const byte NFNETLINK_V0 = 0;
    public const ushort NFNL_SUBSYS_NFTABLES = 10;
    public const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    public const ushort NFNL_MSG_BATCH_END = 0x11;
    public const ushort NFNL_BATCH_GENID = 1;

    // netfilter.h
    public const byte NFPROTO_INET = 1;
    public const int NF_DROP = 0;
    public const int NF_ACCEPT = 1;
    public const int NF_INET_PRE_ROUTING = 0;
    public const int NF_INET_LOCAL_IN = 1;
    public const int NF_INET_FORWARD = 2;
    public const int NF_INET_LOCAL_OUT = 3;
    public const int NF_INET_POST_ROUTING = 4;

    // enum nf_tables_msg_types (the low byte; the high byte is the subsystem).
    public const ushort NFT_MSG_NEWTABLE = 0;
    public const ushort NFT_MSG_GETTABLE = 1;
    public const ushort NFT_MSG_DELTABLE = 2;
    public const ushort NFT_MSG_NEWCHAIN = 3;
    public const ushort NFT_MSG_GETCHAIN = 4;
    public const ushort NFT_MSG_DELCHAIN = 5;
    public const ushort NFT_MSG_NEWRULE = 6;
    public const ushort NFT_MSG_GETRULE = 7;
    public const ushort NFT_MSG_DELRULE = 8;
    public const ushort NFT_MSG_NEWSET = 9;
    public const ushort NFT_MSG_GETSET = 10;
    public const ushort NFT_MSG_DELSET = 11;
    public const ushort NFT_MSG_NEWSETELEM = 12;
    public const ushort NFT_MSG_GETSETELEM = 13;
    public const ushort NFT_MSG_DELSETELEM = 14;
    public const ushort NFT_MSG_NEWGEN = 15;
    public const ushort NFT_MSG_GETGEN = 16;

    public const ushort NLM_F_APPEND = 0x800;

    // Registers: the verdict register and the first 128-bit data register; 32-bit ones from NFT_REG32_00.
    public const uint NFT_REG_VERDICT = 0;
    public const uint NFT_REG_1 = 1;
    public const uint NFT_REG32_00 = 8;

    // enum nft_verdicts (after NF_DROP/NF_ACCEPT).
    public const int NFT_CONTINUE = -1;
    public const int NFT_BREAK = -2;
    public const int NFT_JUMP = -3;
    public const int NFT_GOTO = -4;
    public const int NFT_RETURN = -5;

    public const ushort NFTA_TABLE_NAME = 1;
    public const ushort NFTA_TABLE_FLAGS = 2;
    public const ushort NFTA_TABLE_USE = 3;
    public const ushort NFTA_TABLE_HANDLE = 4;
    public const uint NFT_TABLE_F_DORMANT = 1;
    public const uint NFT_TABLE_F_OWNER = 2;

    public const ushort NFTA_CHAIN_TABLE = 1;
    public const ushort NFTA_CHAIN_HANDLE = 2;
    public const ushort NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_CHAIN_HOOK = 4;
    public const ushort NFTA_CHAIN_POLICY = 5;
    public const ushort NFTA_CHAIN_USE = 6;
    public const ushort NFTA_CHAIN_TYPE = 7;
    public const ushort NFTA_HOOK_HOOKNUM = 1;
    public const ushort NFTA_HOOK_PRIORITY = 2;

    public const ushort NFTA_RULE_TABLE = 1;
    public const ushort NFTA_RULE_CHAIN = 2;
    public const ushort NFTA_RULE_HANDLE = 3;
    public const ushort NFTA_RULE_EXPRESSIONS = 4;
    public const ushort NFTA_RULE_USERDATA = 7;
    public const ushort NFTA_LIST_ELEM = 1;
    public const ushort NFTA_EXPR_NAME = 1;
    public const ushort NFTA_EXPR_DATA = 2;

    public const ushort NFTA_DATA_VALUE = 1;
    public const ushort NFTA_DATA_VERDICT = 2;
    public const ushort NFTA_VERDICT_CODE = 1;
    public const ushort NFTA_VERDICT_CHAIN = 2;

    public const ushort NFTA_IMMEDIATE_DREG = 1;
    public const ushort NFTA_IMMEDIATE_DATA = 2;
    public const ushort NFTA_CMP_SREG = 1;
    public const ushort NFTA_CMP_OP = 2;
    public const ushort NFTA_CMP_DATA = 3;
    public const ushort NFTA_META_DREG = 1;
    public const ushort NFTA_META_KEY = 2;
    public const ushort NFTA_META_SREG = 3;
    public const ushort NFTA_PAYLOAD_DREG = 1;
    public const ushort NFTA_PAYLOAD_BASE = 2;
    public const ushort NFTA_PAYLOAD_OFFSET = 3;
    public const ushort NFTA_PAYLOAD_LEN = 4;
    public const ushort NFTA_LOOKUP_SET = 1;
    public const ushort NFTA_LOOKUP_SREG = 2;
    public const ushort NFTA_LOOKUP_DREG = 3;
    public const ushort NFTA_LOOKUP_SET_ID = 4;
    public const ushort NFTA_LOOKUP_FLAGS = 5;
    public const uint NFT_LOOKUP_F_INV = 1;
    public const ushort NFTA_COUNTER_BYTES = 1;
    public const ushort NFTA_COUNTER_PACKETS = 2;
    public const ushort NFTA_CT_DREG = 1;
    public const ushort NFTA_CT_KEY = 2;
    public const uint NFT_CT_STATE = 0;
    public const uint NFT_CT_MARK = 3;
    public const ushort NFTA_BITWISE_SREG = 1;
    public const ushort NFTA_BITWISE_DREG = 2;
    public const ushort NFTA_BITWISE_LEN = 3;
    public const ushort NFTA_BITWISE_MASK = 4;
    public const ushort NFTA_BITWISE_XOR = 5;
    public const ushort NFTA_BITWISE_OP = 6;
    public const ushort NFTA_RANGE_SREG = 1;
    public const ushort NFTA_RANGE_OP = 2;
    public const ushort NFTA_RANGE_FROM_DATA = 3;
    public const ushort NFTA_RANGE_TO_DATA = 4;
    public const ushort NFTA_BYTEORDER_SREG = 1;
    public const ushort NFTA_BYTEORDER_DREG = 2;
    public const ushort NFTA_BYTEORDER_OP = 3;
    public const ushort NFTA_BYTEORDER_LEN = 4;
    public const ushort NFTA_BYTEORDER_SIZE = 5;
    public const uint NFT_BYTEORDER_HTON = 1;
    public const ushort NFTA_LOG_GROUP = 1;
    public const ushort NFTA_LOG_PREFIX = 2;
    public const ushort NFTA_LIMIT_RATE = 1;
    public const ushort NFTA_LIMIT_UNIT = 2;
    public const ushort NFTA_LIMIT_BURST = 3;
    public const ushort NFTA_LIMIT_TYPE = 4;
    public const ushort NFTA_LIMIT_FLAGS = 5;
    public const ushort NFTA_REJECT_TYPE = 1;
    public const ushort NFTA_REJECT_ICMP_CODE = 2;

    public const ushort NFTA_SET_TABLE = 1;
    public const ushort NFTA_SET_NAME = 2;
    public const ushort NFTA_SET_FLAGS = 3;
    public const ushort NFTA_SET_KEY_TYPE = 4;
    public const ushort NFTA_SET_KEY_LEN = 5;
    public const ushort NFTA_SET_DATA_TYPE = 6;
    public const ushort NFTA_SET_DATA_LEN = 7;
    public const ushort NFTA_SET_DESC = 9;
    public const ushort NFTA_SET_ID = 10;
    public const ushort NFTA_SET_USERDATA = 13;
    public const ushort NFTA_SET_HANDLE = 16;
    public const ushort NFTA_SET_DESC_CONCAT = 2;
    public const ushort NFTA_SET_FIELD_LEN = 1;
    public const uint NFT_SET_INTERVAL = 0x4;
    public const uint NFT_SET_MAP = 0x8;
    public const uint NFT_SET_CONCAT = 0x80;
    public const uint NFT_DATA_VERDICT = 0xffffff00;

    public const ushort NFTA_SET_ELEM_LIST_TABLE = 1;
    public const ushort NFTA_SET_ELEM_LIST_SET = 2;
    public const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    public const ushort NFTA_SET_ELEM_LIST_SET_ID = 4;
    public const ushort NFTA_SET_ELEM_KEY = 1;
    public const ushort NFTA_SET_ELEM_DATA = 2;
    public const ushort NFTA_SET_ELEM_FLAGS = 3;
    public const ushort NFTA_SET_ELEM_KEY_END = 10;
    public const uint NFT_SET_ELEM_INTERVAL_END = 1;

    public const ushort NFTA_GEN_ID = 1;
}
