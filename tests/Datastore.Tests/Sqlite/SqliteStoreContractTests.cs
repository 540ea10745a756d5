using RoutedNet.Datastore;
using RoutedNet.Datastore.Tests.Contract;

namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>The store contract on a fresh sqlite file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDatabase _database = new();

    protected override Task<IStore> OpenEmptyStoreAsync() => StoreFactory.OpenAsync(_database.Url);

    protected override Task<IStore> OpenSameStoreAsync() => StoreFactory.OpenAsync(_database.Url);

    public void Dispose() => _database.Dispose();
}
