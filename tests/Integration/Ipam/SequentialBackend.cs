using RoutedNet.Datastore;
using RoutedNet.Tests.IpamDriver;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// A fresh datastore on which IpamClient writes in its sequential mode: sqlite behind the driver's
/// no-transactions wrapper, or (with the stand-in API server) the kubernetes datastore itself.
/// <see cref="Store"/> is the test's own connection, <see cref="ConnectAsync"/> another process's
/// (a node agent's), <see cref="DriverArgs"/> what a driver process needs.
/// </summary>
internal sealed class SequentialBackend : IAsyncDisposable
{
    public const string SqliteWithoutTransactions = "sqlite-without-transactions";

    private readonly Func<Task<IStore>> _connect;
    private readonly Func<ValueTask> _dispose;
    private readonly List<IStore> _connections = [];

    private SequentialBackend(IStore store, string[] driverArgs, Func<Task<IStore>> connect, Func<ValueTask> dispose)
    {
        Store = store;
        DriverArgs = driverArgs;
        _connect = connect;
        _dispose = dispose;
    }

    public IStore Store { get; }

    public IReadOnlyList<string> DriverArgs { get; }

    public static async Task<SequentialBackend> OpenAsync(string backend)
    {
        if (backend != SqliteWithoutTransactions)
        {
            throw new ArgumentException($"unknown backend {backend}", nameof(backend));
        }
        var dir = Path.Combine(Path.GetTempPath(), "rnt-ipamseq-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var url = $"sqlite://{dir}/store.db";
        var store = new NoTransactionsStore(await StoreFactory.OpenAsync(url));
        return new SequentialBackend(
            store,
            ["--datastore", url, "--no-transactions"],
            async () => new NoTransactionsStore(await StoreFactory.OpenAsync(url)),
            async () =>
            {
                await store.DisposeAsync();
                Directory.Delete(dir, recursive: true);
            });
    }

    /// <summary>Another connection, as another process on another node would have.</summary>
    public async Task<IStore> ConnectAsync()
    {
        var store = await _connect();
        lock (_connections)
        {
            _connections.Add(store);
        }
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
        await _dispose();
    }
}
