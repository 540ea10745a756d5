using RoutedNet.CniPlugin.Cni;
using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>Kernel errors as CNI errors: transient ones ask the runtime to try again (code 11).</summary>
internal static class NetlinkErrors
{
    public static CniException ToCni(NetlinkException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var code = e is NetlinkDumpInterruptedException || e.Errno is Errno.EAGAIN or Errno.EBUSY or Errno.EINTR
            ? CniErrorCode.TryAgainLater
            : CniErrorCode.KernelError;
        return new CniException(code, e.Message, null, e);
    }
}
