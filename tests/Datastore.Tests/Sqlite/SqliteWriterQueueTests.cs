using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Sqlite;

namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>The kernel queue that sqlite writers of one file wait in (one turn at a time).</summary>
public sealed class SqliteWriterQueueTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task TryEnter_WhileAWriterHoldsTheTurn_GetsNone_AfterItPassesItOn_GetsIt()
    {
        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } });
        }

        using (SqliteWriterQueue.Enter(_database.FilePath))
        {
            Assert.Null(SqliteWriterQueue.TryEnter(_database.FilePath));
        }

        using var next = SqliteWriterQueue.TryEnter(_database.FilePath);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Commit_WaitsForTheHoldersTurn_ThenWrites()
    {
        await using var store = await StoreFactory.OpenAsync(_database.Url);
        var held = SqliteWriterQueue.Enter(_database.FilePath);

        var create = Task.Run(() => store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" } }));
        await Task.Delay(200);
        Assert.False(create.IsCompleted);
        held!.Dispose();

        await create.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await store.TryGetAsync<Node>("n1"));
    }

    public void Dispose() => _database.Dispose();
}
