using System.Runtime.InteropServices;

namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Lines up the writers of one sqlite file in the kernel: an exclusive flock on a file next to
/// the database (<c>PATH-writers</c>), held around each write transaction. sqlite's own busy
/// handler can only poll, sleeping 1, 2, 5 ... 100 ms between tries, which under parallel CNI
/// calls left the lock idle most of the time (a commit holds it for about a millisecond); a
/// blocked flock wakes the moment the holder releases it and costs no CPU while it waits, so
/// hundreds of waiting processes never starve the holder. It only orders writers: sqlite's lock
/// stays the arbiter, and its busy timeout still applies to anyone outside the queue (a
/// checkpoint, an older binary). The kernel drops the lock when a holder dies (kill -9).
/// </summary>
internal static partial class SqliteWriterQueue
{
    private const string Libc = "libc.so.6";
    private const int OpenReadWrite = 0x2; // O_RDWR
    private const int OpenCreate = 0x40; // O_CREAT
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB
    private const int Interrupted = 4; // EINTR

    /// <summary>
    /// Waits for this writer's turn; dispose the result to pass it on. Null when the lock file
    /// cannot be used (e.g. a read-only directory): the writer then queues on sqlite alone.
    /// </summary>
    public static Turn? Enter(string databasePath) => Take(databasePath, LockExclusive);

    /// <summary>The turn only if no writer holds it now (null otherwise): for work that can be left to the next one.</summary>
    public static Turn? TryEnter(string databasePath) => Take(databasePath, LockExclusive | LockNonBlocking);

    /// <summary>
    /// The queue's file (<c>PATH-writers</c>), created if missing, for those who watch it
    /// (<see cref="SqliteCommitSignal"/>); null when it cannot be made.
    /// </summary>
    public static string? EnsureFile(string databasePath)
    {
        var fd = OpenFile(databasePath);
        if (fd < 0)
        {
            return null;
        }
        _ = Close(fd);
        return FileOf(databasePath);
    }

    private static string FileOf(string databasePath) => databasePath + "-writers";

    private static int OpenFile(string databasePath) =>
        Open(FileOf(databasePath), OpenReadWrite | OpenCreate | OpenCloseOnExec, (int)SqliteFileModes.File);

    private static Turn? Take(string databasePath, int operation)
    {
        var fd = OpenFile(databasePath);
        if (fd < 0)
        {
            return null;
        }
        while (Flock(fd, operation) != 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                _ = Close(fd);
                return null;
            }
        }
        return new Turn(fd);
    }

    /// <summary>A held place at the head of the queue; closing the descriptor releases it.</summary>
    public sealed class Turn : IDisposable
    {
        private int _fd;

        internal Turn(int fd) => _fd = fd;

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0)
            {
                _ = Close(fd);
            }
        }
    }

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport(Libc, EntryPoint = "close")]
    private static partial int Close(int fd);
}
