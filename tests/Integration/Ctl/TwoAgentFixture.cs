using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Felix;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// Two meshed `routednet-node` agents (n1 172.18.0.2, n2 172.18.0.3) on one link and one sqlite
/// store, each with a /24 block; n1 has one workload endpoint (10.244.1.5 on a veth) and both have
/// a global BGPPeer nobody answers. n1 resyncs hourly, so a route deleted by hand stays missing
/// until a `routes` read shows it to the agent: the "something is off" state is deterministic.
/// </summary>
public sealed class TwoAgentFixture : IAsyncLifetime
{
    public const string PodIp = "10.244.1.5";
    public const string N1Block = "10.244.1.0/24";
    public const string N2Block = "10.244.2.0/24";
    public const string SilentPeer = "172.18.0.99";

    private readonly List<Daemon> _agents = [];
    private string _dir = null!;
    private IStore _store = null!;

    public NetNs N1 { get; private set; } = null!;
    public NetNs N2 { get; private set; } = null!;

    /// <summary>n1's API socket, for --node-socket.</summary>
    public string N1Socket => Path.Combine(_dir, "n1.sock");

    public string Dir => _dir;

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("rnt-ctl-").FullName;
        var datastore = $"sqlite://{Path.Combine(_dir, "store.db")}";
        _store = await StoreFactory.OpenAsync(datastore);
        await _store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "pods" }, Spec = new IPPoolSpec { Cidr = "10.244.0.0/16" } });
        await _store.CreateAffineBlockAsync(N1Block, "n1");
        await _store.CreateAffineBlockAsync(N2Block, "n2");
        await _store.CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = "silent" }, Spec = new BGPPeerSpec { PeerIP = SilentPeer, AsNumber = 65001 } });

        N1 = NetNs.Create();
        N2 = NetNs.Create();
        N1.Link("eth0", N2, "eth0", "172.18.0.2/24", "172.18.0.3/24");
        N1.Check("ip", "link", "add", "rntwep0", "type", "veth", "peer", "name", "rntwep0p");
        N1.Check("ip", "link", "set", "rntwep0", "up");
        N1.Check("ip", "link", "set", "rntwep0p", "up");
        await _store.CreateAsync(new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "pod1" },
            Spec = new WorkloadEndpointSpec
            {
                Pod = "pod1", Namespace = "default", ContainerID = "pod1", Interface = "eth0",
                HostInterface = "rntwep0", IPNetworks = [PodIp + "/32"], Node = "n1",
            },
        });

        StartAgent("n1", "172.18.0.2", N1, "1h");
        StartAgent("n2", "172.18.0.3", N2, "1s");
        // Tests read n1 at once: wait until it serves its API, programmed its own routes and learned n2's block.
        // Exit 0 alone is not enough: before n1 has read its block affinity it desires nothing, and an
        // empty report is clean too (a foreign route inside the block would not be a conflict yet).
        await Eventually.Until(
            async () =>
            {
                var result = await CtlAsync("routes", "--node-socket", N1Socket, "-o", "json");
                if (result.ExitCode != 0)
                {
                    return false;
                }
                using var report = JsonDocument.Parse(result.Stdout);
                return report.RootElement.GetProperty("routes").GetArrayLength() == 3;
            },
            "n1 to serve its API with its pod route, its blackhole and n2's block in place");
    }

    private void StartAgent(string name, string ip, NetNs ns, string resync) =>
        _agents.Add(Daemon.Start(
            RepoPaths.Binary("routednet-node"),
            [
                "--datastore", $"sqlite://{Path.Combine(_dir, "store.db")}", "--node-name", name, "--node-ip", ip,
                "--api-socket", Path.Combine(_dir, name + ".sock"), "--health-port", "0",
                "--resync-interval", resync, "--route-grace-period", "1s", "--bgp-restart-deferral", "2s",
            ],
            ns,
            logPath: Path.Combine(_dir, name + ".log")));

    /// <summary>Runs the published routednetctl with <paramref name="args"/>.</summary>
    public static Task<ProcessResult> CtlAsync(params string[] args) => Proc.RunAsync(RepoPaths.Binary("routednetctl"), args);

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }
        await _store.DisposeAsync();
        N2?.Dispose();
        N1?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
