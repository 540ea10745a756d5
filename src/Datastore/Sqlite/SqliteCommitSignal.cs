using System.Runtime.InteropServices;

namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Wakes the watches of one sqlite file when any process commits a write: every writer closes
/// its <see cref="SqliteWriterQueue"/> descriptor (<c>PATH-writers</c>, opened read-write) right
/// after its transaction, and inotify reports that close (IN_CLOSE_WRITE) to us. Without it a
/// watch only saw a commit at its next poll, on average half the poll interval later — that
/// was most of the time from a CNI ADD to the route on another node. The poll stays as the
/// fallback for writers outside the queue. One background thread per store that is watched.
/// </summary>
internal sealed partial class SqliteCommitSignal : IDisposable
{
    private const string Libc = "libc.so.6";
    private const int InNonBlock = 0x800; // IN_NONBLOCK
    private const int InCloseOnExec = 0x80000; // IN_CLOEXEC
    private const uint InCloseWrite = 0x8; // IN_CLOSE_WRITE
    private const short PollIn = 0x1; // POLLIN
    private const int PollTimeoutMilliseconds = 500; // how soon the thread notices Dispose

    private readonly int _fd;
    private volatile bool _disposed;
    private TaskCompletionSource _next = NewSource();

    private SqliteCommitSignal(int fd)
    {
        _fd = fd;
        new Thread(Run) { IsBackground = true, Name = "sqlite commit signal" }.Start();
    }

    /// <summary>Completes at the next commit after this call (take it before reading, so a commit during the read counts).</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>The signal for <paramref name="databasePath"/>, or null when inotify or the writers' file cannot be used (polling alone).</summary>
    public static SqliteCommitSignal? TryCreate(string databasePath)
    {
        // The first writer creates it; make it now so there is something to watch.
        if (SqliteWriterQueue.EnsureFile(databasePath) is not { } writers)
        {
            return null;
        }
        var fd = InotifyInit1(InNonBlock | InCloseOnExec);
        if (fd < 0)
        {
            return null;
        }
        if (InotifyAddWatch(fd, writers, InCloseWrite) < 0)
        {
            _ = Close(fd);
            return null;
        }
        return new SqliteCommitSignal(fd);
    }

    public void Dispose() => _disposed = true;

    private unsafe void Run()
    {
        var events = new byte[4096];
        var poll = new PollFd { Fd = _fd, Events = PollIn };
        while (!_disposed)
        {
            if (Poll(&poll, 1, PollTimeoutMilliseconds) <= 0)
            {
                continue;
            }
            // Drain every queued event: one wake-up for the lot.
            fixed (byte* buffer = events)
            {
                while (Read(_fd, buffer, events.Length) > 0)
                {
                }
            }
            Interlocked.Exchange(ref _next, NewSource()).TrySetResult();
        }
        _ = Close(_fd);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Libc, EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit1(int flags);

    [LibraryImport(Libc, EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InotifyAddWatch(int fd, string path, uint mask);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "close")]
    private static partial int Close(int fd);
}
