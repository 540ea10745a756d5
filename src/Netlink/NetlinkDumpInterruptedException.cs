namespace RoutedNet.Netlink;

/// <summary>
/// The kernel flagged a dump with NLM_F_DUMP_INTR: the table changed while it was being read, so
/// the listing may be inconsistent. List calls retry a few times before they let this escape.
/// </summary>
public sealed class NetlinkDumpInterruptedException : NetlinkException
{
    public NetlinkDumpInterruptedException(string operation)
        : base(Errno.EINTR, operation, "dump interrupted by a concurrent change")
    {
    }

    public NetlinkDumpInterruptedException()
        : this("dump")
    {
    }

    public NetlinkDumpInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
