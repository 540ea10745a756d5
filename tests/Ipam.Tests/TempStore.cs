using RoutedNet.Datastore;
using RoutedNet.Ipam.Tests.Stores;

namespace RoutedNet.Ipam.Tests;

/// <summary>A real sqlite store in a fresh temp file, deleted on dispose.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly List<IStore> _opened = [];

    private TempStore(string path) => Path = path;

    public string Path { get; }

    public string Url => "sqlite://" + Path;

    public static async Task<(TempStore Temp, IStore Store)> CreateAsync()
    {
        var temp = new TempStore(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rn-ipam-{Guid.NewGuid():N}.db"));
        return (temp, await temp.OpenAsync());
    }

    /// <summary>A fresh store in the given mode (sequential: behind a store without multi-object transactions).</summary>
    public static async Task<(TempStore Temp, RecordingStore Store)> CreateAsync(StoreMode mode)
    {
        var (temp, store) = await CreateAsync();
        return (temp, new RecordingStore(store, mode == StoreMode.Transactional));
    }

    /// <summary>Another connection in the given mode.</summary>
    public async Task<RecordingStore> OpenAsync(StoreMode mode) => new(await OpenAsync(), mode == StoreMode.Transactional);

    /// <summary>Another connection to the same file, as a second CNI process would have.</summary>
    public async Task<IStore> OpenAsync()
    {
        var store = await StoreFactory.OpenAsync(Url);
        lock (_opened)
        {
            _opened.Add(store);
        }
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        foreach (var suffix in new[] { "", "-wal", "-shm", "-writers" })
        {
            File.Delete(Path + suffix);
        }
    }
}
