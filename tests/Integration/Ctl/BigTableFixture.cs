using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// Two meshed agents where n2 owns <see cref="N2Blocks"/> blocks: n1's Loc-RIB and kernel table
/// hold that many BGP routes, so `bgp rib` and `routes` answers are far past gRPC's 4 MiB default
/// message size (about 55 bytes a RIB entry, 75 a route status: 100k of each is 5-7 MiB).
/// </summary>
public sealed class BigTableFixture : IAsyncLifetime
{
    public const int N2Blocks = 100_000;
    public const string N1Block = "10.0.0.0/26";

    private readonly List<Daemon> _agents = [];
    private string _dir = null!;

    public NetNs N1 { get; private set; } = null!;
    public NetNs N2 { get; private set; } = null!;

    public string N1Socket => Path.Combine(_dir, "n1.sock");

    /// <summary>n2's block number <paramref name="i"/>: 10.128.0.0/9 in /26s.</summary>
    public static string N2Block(int i)
    {
        var address = (10u << 24 | 128u << 16) + (uint)i * 64;
        return $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}/26";
    }

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("rnt-ctl-big-").FullName;
        var datastore = $"sqlite://{Path.Combine(_dir, "store.db")}";
        await using (var store = await StoreFactory.OpenAsync(datastore))
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "n1" }, Spec = new IPPoolSpec { Cidr = "10.0.0.0/16", BlockSize = 26 } });
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "n2" }, Spec = new IPPoolSpec { Cidr = "10.128.0.0/9", BlockSize = 26 } });
            await store.CommitAsync(new StoreTransaction().Create(Block(N1Block, "n1")));
            for (var start = 0; start < N2Blocks; start += 10_000)
            {
                var transaction = new StoreTransaction();
                for (var i = start; i < Math.Min(N2Blocks, start + 10_000); i++)
                {
                    transaction.Create(Block(N2Block(i), "n2"));
                }
                await store.CommitAsync(transaction);
            }
        }

        N1 = NetNs.Create();
        N2 = NetNs.Create();
        N1.Link("eth0", N2, "eth0", "172.18.0.2/24", "172.18.0.3/24");
        StartAgent("n1", "172.18.0.2", N1, datastore);
        StartAgent("n2", "172.18.0.3", N2, datastore);
    }

    private static IPAMBlock Block(string cidr, string node) => new()
    {
        Metadata = new ObjectMeta { Name = cidr.Replace('.', '-').Replace('/', '-') },
        Spec = new IPAMBlockSpec { Cidr = cidr, Affinity = $"host:{node}" },
    };

    private void StartAgent(string name, string ip, NetNs ns, string datastore) =>
        _agents.Add(Daemon.Start(
            RepoPaths.Binary("routednet-node"),
            [
                "--datastore", datastore, "--node-name", name, "--node-ip", ip,
                "--api-socket", Path.Combine(_dir, name + ".sock"), "--health-port", "0",
                "--resync-interval", "1h", "--route-grace-period", "1s",
            ],
            ns,
            logPath: Path.Combine(_dir, name + ".log")));

    public Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }
        N2?.Dispose();
        N1?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}
