using RoutedNet.Datastore;
using RoutedNet.Interop.Etcd;

namespace RoutedNet.Interop.Ipam;

/// <summary>
/// A fresh, empty datastore of one backend for one test: a new sqlite file, or the collection's
/// real etcd with its keyspace wiped.
/// </summary>
internal sealed class IpamBackend : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Etcd = "etcd";

    private readonly string? _dir;

    private IpamBackend(string url, IStore store, string? dir)
    {
        Url = url;
        Store = store;
        _dir = dir;
    }

    public string Url { get; }

    public IStore Store { get; }

    public static async Task<IpamBackend> OpenAsync(string backend, EtcdFixture etcd)
    {
        if (backend == Etcd)
        {
            await etcd.WipeAsync();
            return new IpamBackend(etcd.Url, await StoreFactory.OpenAsync(etcd.Url), null);
        }
        var dir = Path.Combine(Path.GetTempPath(), "rnt-ipam-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var url = $"sqlite://{dir}/store.db";
        return new IpamBackend(url, await StoreFactory.OpenAsync(url), dir);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_dir is not null)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
