using RoutedNet.Datastore;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// A fresh datastore on which IpamClient writes in its sequential mode: sqlite behind the driver's
/// no-transactions wrapper, or (with the stand-in API server) the kubernetes datastore itself.
/// <see cref="Store"/> is the test's own connection; <see cref="DriverArgs"/> what a driver needs.
/// </summary>
internal sealed class SequentialBackend : IAsyncDisposable
{
    public const string SqliteWithoutTransactions = "sqlite-without-transactions";

    private readonly Func<ValueTask> _dispose;

    private SequentialBackend(IStore store, string[] driverArgs, Func<ValueTask> dispose)
    {
        Store = store;
        DriverArgs = driverArgs;
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
        var store = await StoreFactory.OpenAsync(url);
        return new SequentialBackend(store, ["--datastore", url, "--no-transactions"], async () =>
        {
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        });
    }

    public ValueTask DisposeAsync() => _dispose();
}
