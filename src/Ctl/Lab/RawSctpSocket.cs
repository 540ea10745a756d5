using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// socket(AF_INET, SOCK_RAW, 132) made by libc: .NET's Socket constructor refuses protocol numbers
/// it has no name for ("Protocol not supported"), but takes the descriptor once it exists.
/// </summary>
internal static partial class RawSctpSocket
{
    private const int AfInet = 2;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;

    /// <summary>In the calling thread's network namespace.</summary>
    public static Socket Open()
    {
        var fd = CreateSocket(AfInet, SockRaw | SockCloexec, SctpInit.Protocol);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int CreateSocket(int domain, int type, int protocol);
}
