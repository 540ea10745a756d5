using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>
/// The store holds BGP passwords and every pod's address: its directory and every file of it
/// (the database, -wal, -shm, -writers) are created for the owner alone, whatever the umask, and
/// a store left readable by an older version is tightened when opened.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SqlitePermissionTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_NewStore_DirectoryAndEveryFileOwnerOnly()
    {
        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            await store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "tor" }, Spec = new BGPPeerSpec { PeerIP = "192.0.2.1", AsNumber = 64500, Password = "s3cret" } });

            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(_database.FilePath)!));
            foreach (var suffix in (string[])["", "-wal", "-shm", "-writers"])
            {
                var file = _database.FilePath + suffix;
                Assert.True(File.Exists(file), $"{file} exists while the store is open");
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task Open_ExistingStoreReadableByOthers_TightenedToOwnerOnly()
    {
        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });
        }
        var everyoneReads = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(_database.FilePath, everyoneReads);
        File.SetUnixFileMode(_database.FilePath + "-writers", everyoneReads);

        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            Assert.Equal("n1", (await store.GetAsync<Node>("n1")).Name);
        }

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_database.FilePath));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_database.FilePath + "-writers"));
    }
}
