using System.Runtime.InteropServices;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// The libc socket calls for the agent's Unix socket: a blocking stream socket, a few hundred
/// bytes each way. System.Net.Sockets would work too, but every exec would pay for its set-up.
/// </summary>
internal static unsafe partial class UnixSocketCalls
{
    public const int AfUnix = 1;
    public const int SockStream = 1;
    public const int SockCloexec = 0x80000;
    public const int SolSocket = 1;
    public const int SoRcvtimeo = 20;
    public const int SoSndtimeo = 21;
    public const int MsgNosignal = 0x4000;
    public const int Eintr = 4;
    public const int Eagain = 11;

    /// <summary>sizeof(sun_path) in struct sockaddr_un.</summary>
    public const int PathCapacity = 108;

    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, int length);

    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetOption(int fd, int level, int name, void* value, int length);

    [LibraryImport(Libc, EntryPoint = "close")]
    public static partial int Close(int fd);

    public static string Error(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
