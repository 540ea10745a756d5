using System.Runtime.InteropServices;

namespace RoutedNet.Ipam.PendingReleases;

/// <summary>
/// flock(2) on a lock file, held until disposed: shared by the CNI plugins that add entries,
/// exclusive for the agent while it drains. Opened with open(2), not FileStream: .NET takes its own
/// non-blocking flock when it opens a file, which would fail instead of wait.
/// </summary>
internal sealed partial class FileLock : IDisposable
{
    private const int OpenReadWrite = 0x2; // O_RDWR
    private const int OpenCreate = 0x40; // O_CREAT
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC
    private const int LockShared = 1; // LOCK_SH
    private const int LockExclusive = 2; // LOCK_EX
    private const int Interrupted = 4; // EINTR

    private int _fd;

    private FileLock(int fd) => _fd = fd;

    public static FileLock Shared(string path) => Take(path, LockShared);

    public static FileLock Exclusive(string path) => Take(path, LockExclusive);

    private static FileLock Take(string path, int operation)
    {
        var fd = Open(path, OpenReadWrite | OpenCreate | OpenCloseOnExec, 0x180 /* 0600 */);
        if (fd < 0)
        {
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        while (Flock(fd, operation) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Interrupted)
            {
                Close(fd);
                throw new IOException($"locking {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
        return new FileLock(fd);
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            // Closing the last descriptor of the open file releases the lock.
            Close(_fd);
            _fd = -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
