namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Size and modification time of a sqlite file and its WAL: every commit, by any process and
/// whether or not it goes through the writer queue, appends to the WAL (or, when the WAL has
/// restarted, rewrites it with a new time), so an unchanged stamp means nothing was committed.
/// A watch's fallback poll compares stamps (two stat calls) before it opens a read transaction:
/// an idle agent's watches used to run one read transaction per watched kind every poll, which
/// was most of its syscalls and allocations while idle (docs/BENCHMARKS.md, idle agent).
/// </summary>
internal readonly record struct SqliteFileStamp(long FileSize, DateTime FileWritten, long WalSize, DateTime WalWritten)
{
    public static SqliteFileStamp Of(string path)
    {
        var file = new FileInfo(path);
        var wal = new FileInfo(path + "-wal");
        return new SqliteFileStamp(
            file.Exists ? file.Length : -1, file.Exists ? file.LastWriteTimeUtc : default,
            wal.Exists ? wal.Length : -1, wal.Exists ? wal.LastWriteTimeUtc : default);
    }
}
