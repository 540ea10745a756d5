namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>A directory of its own for one sqlite database (with its -wal and -shm files), removed on Dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"rnt-store-{Guid.NewGuid():N}");
        FilePath = Path.Combine(Directory, "sub", "store.db");
    }

    public string Directory { get; }

    /// <summary>The database file; its parent does not exist yet (the store creates it).</summary>
    public string FilePath { get; }

    public string Url => "sqlite://" + FilePath;

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
