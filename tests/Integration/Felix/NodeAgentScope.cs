using System.Globalization;
using Grpc.Net.Client;
using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>
/// One `routednet-node` (the published binary) running in a fresh namespace against a private
/// sqlite datastore, with fast resync and grace so that tests see repairs within seconds. The
/// test writes resources through the store, changes the kernel with `ip` behind the agent's back,
/// and reads the agent's view through its API socket. Dispose stops the agent by pid (SIGTERM),
/// then removes the namespace and files.
/// </summary>
public sealed class NodeAgentScope : IAsyncDisposable
{
    public const string DefaultNodeName = "n1";
    public const string DefaultNodeIp = "172.18.0.2";

    private readonly string _dir;
    private readonly GrpcChannel _channel;
    private readonly IReadOnlyList<string> _args;
    private IReadOnlyDictionary<string, string?>? _env;
    private bool _ownsStore = true;

    private NodeAgentScope(string nodeName, string datastore, NetNs ns, string dir, IStore store, Daemon agent, GrpcChannel channel, IReadOnlyList<string> args)
    {
        _args = args;
        NodeName = nodeName;
        Datastore = datastore;
        Ns = ns;
        _dir = dir;
        Store = store;
        Agent = agent;
        _channel = channel;
        Api = new NodeApi.NodeApiClient(channel);
    }

    public string NodeName { get; }

    /// <summary>The agent's API socket (the CNI plugin's "agentSocket").</summary>
    public string ApiSocket => Path.Combine(_dir, "node.sock");

    /// <summary>The agent's private directory: its store, log and API socket (and the nodename file next to it).</summary>
    public string StateDir => _dir;

    /// <summary>Where the CNI plugin of this node keeps its attachment records (its netconf "dataDir").</summary>
    public string CniDataDir => Path.Combine(_dir, "cni");

    /// <summary>The datastore URL, for a second agent that joins the same cluster.</summary>
    public string Datastore { get; }

    public NetNs Ns { get; }

    public IStore Store { get; }

    public Daemon Agent { get; private set; }

    public NodeApi.NodeApiClient Api { get; }

    /// <summary>
    /// Starts an agent named <paramref name="nodeName"/>; <paramref name="prepare"/> runs on its new
    /// namespace before the agent starts (links, addresses), <paramref name="datastore"/> joins an existing cluster,
    /// <paramref name="healthPort"/> (inside the namespace) serves /livez and /readyz, <paramref name="metricsPort"/>
    /// /metrics; 0 turns them off.
    /// </summary>
    /// <param name="nodeIp">null: no --node-ip, the agent finds its address itself (with the kubernetes datastore, the core Node's InternalIP).</param>
    /// <param name="store">The test's own handle on <paramref name="datastore"/>, for a datastore StoreFactory cannot open (kubernetes).</param>
    /// <param name="extraArgs">More flags for the agent (e.g. --kubeconfig).</param>
    /// <param name="env">Environment of the agent's process (e.g. POD_NAMESPACE, as the chart sets it).</param>
    /// <param name="restartDeferral">--bgp-restart-deferral: 2 s so that restart tests see the deadline pass; longer where a re-learn may wait for a peer's idle hold.</param>
    public static async Task<NodeAgentScope> StartAsync(
        string nodeName = DefaultNodeName,
        string? nodeIp = DefaultNodeIp,
        Action<NetNs>? prepare = null,
        string? datastore = null,
        int healthPort = 0,
        int metricsPort = 0,
        IStore? store = null,
        IReadOnlyList<string>? extraArgs = null,
        bool waitReady = true,
        IReadOnlyDictionary<string, string?>? env = null,
        string restartDeferral = "2s")
    {
        var binary = RepoPaths.Binary("routednet-node");
        var ns = NetNs.Create();
        prepare?.Invoke(ns);
        var dir = Directory.CreateTempSubdirectory("rnt-felix-").FullName;
        datastore ??= $"sqlite://{Path.Combine(dir, "store.db")}";
        var socket = Path.Combine(dir, "node.sock");
        // As on a node that has wired pods before: the agent watches its plugin's records from the start.
        Directory.CreateDirectory(Path.Combine(dir, "cni"));
        var ownsStore = store is null;
        store ??= await StoreFactory.OpenAsync(datastore);
        string[] args =
        [
            "--datastore", datastore, "--node-name", nodeName, .. nodeIp is null ? Array.Empty<string>() : ["--node-ip", nodeIp], "--api-socket", socket,
            "--health-port", healthPort.ToString(CultureInfo.InvariantCulture), "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture), "--resync-interval", "1s", "--route-grace-period", "1s", "--bgp-restart-deferral", restartDeferral, "--cni-data-dir", Path.Combine(dir, "cni"),
            .. extraArgs ?? [],
        ];
        var agent = Daemon.Start(binary, args, ns, env, logPath: Path.Combine(dir, "agent.log"));
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketHttpHandler.For(socket) });
        var scope = new NodeAgentScope(nodeName, datastore, ns, dir, store, agent, channel, args) { _ownsStore = ownsStore, _env = env };
        if (waitReady)
        {
            try
            {
                await scope.WaitReadyAsync();
            }
            catch
            {
                // Nobody else holds the scope yet: stop the agent, remove its namespace and files.
                await scope.DisposeAsync();
                throw;
            }
        }
        return scope;
    }

    /// <summary>
    /// Kills the agent with SIGKILL (no cleanup at all: its socket file and routes stay), or stops
    /// it with another <paramref name="signal"/> (15: a graceful stop, as a rolling update does),
    /// runs <paramref name="whileDown"/>, then starts it again with the same arguments and (unless
    /// told otherwise) waits until ready.
    /// </summary>
    public async Task KillAndRestartAsync(Func<Task> whileDown, bool waitReady = true, int signal = 9)
    {
        Agent.Signal(signal);
        Assert.True(Agent.WaitForExit(TimeSpan.FromSeconds(10)), $"the agent survived signal {signal}");
        Agent.Dispose();
        await whileDown();
        // The same arguments and environment (POD_NAMESPACE on the kubernetes datastore), as a DaemonSet restarts it.
        Agent = Daemon.Start(RepoPaths.Binary("routednet-node"), _args, Ns, _env, logPath: Path.Combine(_dir, "agent-restarted.log"));
        if (waitReady)
        {
            await WaitReadyAsync();
        }
    }

    public Task WaitReadyAsync() =>
        Eventually.Until(
            async () => !Agent.HasExited && (await Api.GetNodeStatusAsync(new GetNodeStatusRequest())).Ready,
            $"the agent to be ready (log: {Agent.LogPath})");

    /// <summary>A host-side veth in the agent's namespace (its peer stays there too: no pod needed to route).</summary>
    public void AddVeth(string name)
    {
        Ns.Check("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        Ns.Check("ip", "link", "set", name, "up");
        Ns.Check("ip", "link", "set", name + "p", "up");
    }

    public Task<WorkloadEndpoint> AddEndpointAsync(string name, string hostInterface, string cidr) =>
        Store.CreateAsync(new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new WorkloadEndpointSpec
            {
                Pod = name,
                Namespace = "default",
                ContainerID = name,
                Interface = "eth0",
                HostInterface = hostInterface,
                IPNetworks = [cidr],
                Node = NodeName,
            },
        });

    /// <summary>`ip -o route show table main` in the agent's namespace, one route per line.</summary>
    public string[] Routes() =>
        Ns.Check("ip", "-o", "route", "show", "table", "main").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public async Task<RouteStatus?> RouteStatusAsync(string prefix) =>
        (await Api.ListRoutesAsync(new ListRoutesRequest())).Routes.FirstOrDefault(r => r.Prefix == prefix);

    public async ValueTask DisposeAsync()
    {
        Agent.Dispose();
        _channel.Dispose();
        if (_ownsStore)
        {
            await Store.DisposeAsync();
        }
        Ns.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
