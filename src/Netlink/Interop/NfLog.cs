namespace RoutedNet.Netlink.Interop;

/// <summary>
/// nfnetlink_log (the `log group N` statement's receiver): constants spelled as in
/// linux/netfilter/nfnetlink.h and nfnetlink_log.h.
/// </summary>
internal static class NfLog
{
    public const ushort NFNL_SUBSYS_ULOG = 4;

    public const ushort NFULNL_MSG_PACKET = 0;
    public const ushort NFULNL_MSG_CONFIG = 1;

    public const ushort NFULA_PACKET_HDR = 1;
    public const ushort NFULA_MARK = 2;
    public const ushort NFULA_TIMESTAMP = 3;
    public const ushort NFULA_IFINDEX_INDEV = 4;
    public const ushort NFULA_IFINDEX_OUTDEV = 5;
    public const ushort NFULA_PAYLOAD = 9;
    public const ushort NFULA_PREFIX = 10;

    public const ushort NFULA_CFG_CMD = 1;
    public const ushort NFULA_CFG_MODE = 2;
    public const ushort NFULA_CFG_TIMEOUT = 4;
    public const ushort NFULA_CFG_QTHRESH = 5;

    public const byte NFULNL_CFG_CMD_BIND = 1;
    public const byte NFULNL_CFG_CMD_UNBIND = 2;

    public const byte NFULNL_COPY_PACKET = 2;
}
