using Microsoft.Data.Sqlite;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>A store file that cannot be used as it is: retrying does not help, and nothing in it is overwritten.</summary>
public sealed class SqliteDamageTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task Open_FileIsNotADatabase_ThrowsUnusableNotUnavailable()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        await File.WriteAllBytesAsync(_database.FilePath, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        var error = await Assert.ThrowsAsync<DatastoreUnusableException>(() => StoreFactory.OpenAsync(_database.Url));

        Assert.Contains(_database.FilePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WrittenByANewerSchema_RefusedAndLeftAsItIs()
    {
        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });
        }
        Execute("PRAGMA user_version=7;");

        var error = await Assert.ThrowsAsync<DatastoreUnusableException>(() => StoreFactory.OpenAsync(_database.Url));

        Assert.Contains("schema 7", error.Message, StringComparison.Ordinal);
        Assert.Equal(7L, Scalar("PRAGMA user_version;"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM resources;"));
    }

    [Fact]
    public async Task List_OneStoredObjectNoLongerDecodes_OthersListedAndItIsReported()
    {
        await using var store = await StoreFactory.OpenAsync(_database.Url);
        await store.CreateAsync(NewPool("a", "10.1.0.0/16"));
        await store.CreateAsync(NewPool("b", "10.2.0.0/16"));
        await store.CreateAsync(NewPool("c", "10.3.0.0/16"));
        Execute("UPDATE resources SET value = CAST('{\"spec\":{\"blockSize\":\"big\"}}' AS BLOB) WHERE kind = 'IPPool' AND name = 'b';");

        var list = await store.ListAsync<IPPool>();
        var get = await Assert.ThrowsAsync<ResourceValidationException>(() => store.GetAsync<IPPool>("b"));

        Assert.Equal(["a", "c"], list.Items.Select(p => p.Name));
        var bad = Assert.Single(list.Undecodable);
        Assert.Equal(("IPPool", "b"), (bad.Kind, bad.Name));
        Assert.Contains("IPPool \"b\"", get.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ObjectBecomesUndecodable_DeliveredAsDeletedThenOthersStillFlow()
    {
        await using var store = await StoreFactory.OpenAsync(_database.Url);
        var list = await store.ListAsync<IPPool>();
        await store.CreateAsync(NewPool("a", "10.1.0.0/16"));
        Execute("""
            UPDATE revision SET current = current + 1;
            INSERT INTO events (revision, seq, kind, name, type, value)
              SELECT current, 0, 'IPPool', 'a', 1, CAST('not json' AS BLOB) FROM revision;
            """);
        await store.CreateAsync(NewPool("z", "10.9.0.0/16"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<WatchEvent<IPPool>>();
        await foreach (var e in store.WatchAsync<IPPool>(list.ResourceVersion, cts.Token))
        {
            events.Add(e);
            if (events.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(
            [(WatchEventType.Added, "a"), (WatchEventType.Deleted, "a"), (WatchEventType.Added, "z")],
            events.Select(e => (e.Type, e.Object.Name)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    private static IPPool NewPool(string name, string cidr) =>
        new() { Metadata = new ObjectMeta { Name = name }, Spec = new IPPoolSpec { Cidr = cidr } };

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
