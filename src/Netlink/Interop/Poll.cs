using System.Runtime.InteropServices;
using Tmds.Linux;

namespace RoutedNet.Netlink.Interop;

/// <summary>
/// poll(2) and ppoll(2) bound with SetLastError: Tmds.LibC 0.5 binds both without it, so after
/// one returned -1 Marshal.GetLastPInvokeError() held a stale value (0) instead of its errno, and
/// an EINTR (the runtime's own signals interrupt blocking calls under load) was taken for a
/// failure: "netlink poll: None". Every other Tmds.LibC call we make sets it.
/// </summary>
public static unsafe partial class Poll
{
    private const string Libc = "libc";

    /// <summary>poll(fds, count, timeoutMilliseconds); errno in Marshal.GetLastPInvokeError() when -1.</summary>
    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Wait(pollfd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>ppoll(fds, count, timeout, sigmask); errno in Marshal.GetLastPInvokeError() when -1.</summary>
    [LibraryImport(Libc, EntryPoint = "ppoll", SetLastError = true)]
    public static partial int WaitPrecise(pollfd* fds, nuint count, timespec* timeout, void* signalMask);
}
