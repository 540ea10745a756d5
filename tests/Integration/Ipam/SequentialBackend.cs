using RoutedNet.Datastore;
using RoutedNet.Kubernetes;
using RoutedNet.Tests.IpamDriver;
using RoutedNet.Tests.TestKit.KubeApi;

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

    /// <summary>The kubernetes datastore on the stand-in API server (out/test/routednet-test-apiserver) with the chart's CRDs.</summary>
    public const string Kubernetes = "kubernetes";

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

    /// <summary>The stand-in API server (kubernetes only), to count requests and inject faults.</summary>
    public KubeApiServerProcess? Server { get; private init; }

    public static async Task<SequentialBackend> OpenAsync(string backend)
    {
        if (backend == Kubernetes)
        {
            return await OpenKubernetesAsync();
        }
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

    private static async Task<SequentialBackend> OpenKubernetesAsync()
    {
        var server = await KubeApiServerProcess.StartAsync();
        try
        {
            await server.CreateCrdsAsync();
            var url = DatastoreUrl.Parse("kubernetes");
            Task<IStore> Connect() => KubernetesStoreFactory.OpenAsync(url, EtcdSecurity.None, server.KubeconfigPath, CancellationToken.None);
            var store = await Connect();
            Assert.False(store.SupportsTransactions);
            return new SequentialBackend(
                store,
                ["--datastore", "kubernetes", "--kubeconfig", server.KubeconfigPath],
                Connect,
                async () =>
                {
                    await store.DisposeAsync();
                    server.Dispose();
                })
            {
                Server = server,
            };
        }
        catch
        {
            server.Dispose();
            throw;
        }
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
