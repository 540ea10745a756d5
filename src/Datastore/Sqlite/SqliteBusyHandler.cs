using System.Runtime.InteropServices;
using SQLitePCL;

namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Waiting for another process's write lock in 1 ms steps. sqlite's own busy_timeout handler
/// sleeps 1, 2, 5, 10, 15, 20, 25, 50, 100 ms between tries, so with 8 CNI calls queued behind one
/// short write transaction most of them slept far longer than the lock was held.
/// </summary>
internal static unsafe partial class SqliteBusyHandler
{
    private const int StepMilliseconds = 1;

    /// <summary>Installs the handler on <paramref name="db"/>; gives up after about <paramref name="timeoutMilliseconds"/>.</summary>
    public static void Install(sqlite3 db, int timeoutMilliseconds)
    {
        // The retry count stands for the time waited; the handler has no other state.
        var rc = sqlite3_busy_handler(db.DangerousGetHandle(), &OnBusy, timeoutMilliseconds / StepMilliseconds);
        if (rc != raw.SQLITE_OK)
        {
            raw.sqlite3_busy_timeout(db, timeoutMilliseconds);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnBusy(nint maxTries, int tries)
    {
        if (tries >= maxTries)
        {
            return 0;
        }
        Thread.Sleep(StepMilliseconds);
        return 1;
    }

    // The same library SqliteNative points SQLitePCLRaw at; SQLitePCLRaw has no busy_handler binding.
    [LibraryImport("libsqlite3.so.0")]
    private static partial int sqlite3_busy_handler(nint db, delegate* unmanaged<nint, int, int> handler, nint maxTries);
}
