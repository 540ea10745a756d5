namespace RoutedNet.Netlink;

/// <summary>
/// Linux errno values (asm-generic/errno-base.h, errno.h) that rtnetlink returns. The names are
/// the C spellings on purpose: they are what `ip` prints and what operators search for. A value
/// without a name here still round-trips as its number.
/// </summary>
#pragma warning disable CA1707 // C spellings are the point of this type
public enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    ENOTDIR = 20,
    EINVAL = 22,
    ENFILE = 23,
    EMFILE = 24,
    ENOSPC = 28,
    ERANGE = 34,
    ENAMETOOLONG = 36,
    ENOSYS = 38,
    ENOTEMPTY = 39,
    ENODATA = 61,
    EBADMSG = 74,

    /// <summary>nf_tables: the ruleset generation changed since the one a batch was built against (NFNL_BATCH_GENID).</summary>
    ERESTART = 85,
    EMSGSIZE = 90,
    EPROTONOSUPPORT = 93,
    EOPNOTSUPP = 95,
    EAFNOSUPPORT = 97,
    EADDRINUSE = 98,
    EADDRNOTAVAIL = 99,
    ENETDOWN = 100,
    ENETUNREACH = 101,
    ENOBUFS = 105,
    EHOSTUNREACH = 113,
}
#pragma warning restore CA1707
