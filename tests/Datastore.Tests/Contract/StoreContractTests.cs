using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

/// <summary>
/// What every backend promises (IStore's contract). Each backend's test class derives from this
/// and supplies a fresh, empty store per test; the same tests run against sqlite (unit tier) and
/// a real etcd (interop tier).
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private readonly List<IStore> _stores = [];

    protected IStore Store { get; private set; } = null!;

    /// <summary>An empty store for this test. Called once per test, before any other call to <see cref="OpenAnotherAsync"/>.</summary>
    protected abstract Task<IStore> OpenEmptyStoreAsync();

    /// <summary>A second, independent client (own connections) of the same store.</summary>
    protected abstract Task<IStore> OpenSameStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await OpenEmptyStoreAsync();
        _stores.Add(Store);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    protected async Task<IStore> OpenAnotherAsync()
    {
        var store = await OpenSameStoreAsync();
        _stores.Add(store);
        return store;
    }

    protected static Node NewNode(string name, string address = "172.18.0.2/24") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["rack"] = "r1" } },
        Spec = new NodeSpec { Addresses = [address], AsNumber = 64512 },
    };

    protected static IPPool NewPool(string name, string cidr, int? blockSize = null) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new IPPoolSpec { Cidr = cidr, BlockSize = blockSize, NodeSelector = "all()" },
    };

    protected static IPAMConfig NewCounter(string name) => CasCounter.New(name);
}
