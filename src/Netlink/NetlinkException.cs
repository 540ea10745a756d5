namespace RoutedNet.Netlink;

/// <summary>
/// A kernel refusal of one netlink operation: the errno, the operation in `ip`-like words
/// ("route add 10.244.1.5/32 dev rn0123") and, when the kernel sent one, its extended-ack text.
/// The message reads "route add 10.244.1.5/32 dev rn0123: EEXIST".
/// </summary>
public class NetlinkException : Exception
{
    public Errno Errno { get; }

    /// <summary>What was attempted, in `ip` words, e.g. "link add rn0123 type veth peer eth0".</summary>
    public string Operation { get; }

    /// <summary>The kernel's NETLINK_EXT_ACK message ("Nexthop device is not up"), when it sent one.</summary>
    public string? KernelMessage { get; }

    public NetlinkException(Errno errno, string operation, string? kernelMessage = null, Exception? inner = null)
        : base(Format(errno, operation, kernelMessage), inner)
    {
        Errno = errno;
        Operation = operation;
        KernelMessage = kernelMessage;
    }

    public NetlinkException()
        : this(Errno.None, "netlink")
    {
    }

    public NetlinkException(string message)
        : base(message)
    {
        Operation = "netlink";
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "netlink";
    }

    /// <summary>The name of an errno value ("EEXIST"), or its number when it has no name here.</summary>
    public static string ErrnoName(Errno errno) =>
        Enum.IsDefined(errno) ? errno.ToString() : "errno " + ((int)errno).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Format(Errno errno, string operation, string? kernelMessage) =>
        kernelMessage is null ? $"{operation}: {ErrnoName(errno)}" : $"{operation}: {ErrnoName(errno)} ({kernelMessage})";
}
