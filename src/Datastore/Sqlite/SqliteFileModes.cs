namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// The store holds BGP passwords and every pod's address: it is the owner's alone (root on a
/// node). sqlite creates a database as 0644 minus the umask, and its -wal and -shm files with the
/// database file's mode; so the database is made 0600 before sqlite first opens it, and -wal,
/// -shm and -writers follow. A store an older version left readable by others is tightened.
/// </summary>
internal static class SqliteFileModes
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode Directory = File | UnixFileMode.UserExecute;

    private const UnixFileMode Others =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the database's directory, owner-only where it is new (a shared parent such as /var/lib is left as it is).</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            System.IO.Directory.CreateDirectory(path, Directory);
        }
    }

    /// <summary>Creates <paramref name="databasePath"/> empty and owner-only if missing (sqlite takes an empty file as a new database); tightens what exists.</summary>
    public static void Secure(string databasePath)
    {
        // The store runs on Linux nodes only (libc, inotify); the analyzers want the guard.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = File,
            });
            return;
        }
        catch (IOException) when (System.IO.File.Exists(databasePath))
        {
            // There already: an existing store.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatastoreUnavailableException($"sqlite {databasePath}: cannot create it: {e.Message}", e);
        }
        foreach (var path in (string[])[databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-writers"])
        {
            Tighten(path);
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void Tighten(string path)
    {
        try
        {
            var mode = System.IO.File.GetUnixFileMode(path);
            if ((mode & Others) != 0)
            {
                System.IO.File.SetUnixFileMode(path, mode & ~Others);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Missing (no -wal yet), or not ours to change: a reader that is not the owner
            // (routednetctl as another user) still works as before.
        }
    }
}
