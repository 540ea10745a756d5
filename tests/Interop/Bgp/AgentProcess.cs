using System.Text.Json;
using RoutedNet.Datastore;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// `routednet-node` as it ships (the published binary from out/bin) inside a namespace, against a
/// sqlite store of its own that the test seeds before the start. Dispose stops it by pid and removes
/// its directory (store, API socket, log) unless RNT_KEEP_LOGS is set, as <see cref="Daemon"/> keeps logs.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    /// <summary>The node name the agent registers as.</summary>
    public const string NodeName = "n1";

    private readonly string _directory;
    private readonly NetNs _ns;
    private readonly string[] _args;
    // Earlier runs of the agent (before a Restart): disposed with it, as each deletes the shared log.
    private readonly List<Daemon> _stopped = [];
    private Daemon _daemon;

    private AgentProcess(string directory, NetNs ns, string[] args, Daemon daemon)
    {
        _directory = directory;
        _ns = ns;
        _args = args;
        _daemon = daemon;
    }

    public string LogPath => _daemon.LogPath;

    /// <summary>The agent's sqlite datastore, for a test that changes resources while it runs.</summary>
    public string Datastore => $"sqlite://{Path.Combine(_directory, "store.db")}";

    /// <summary>The agent's API socket, for `routednetctl --node-socket`.</summary>
    public string ApiSocket => Path.Combine(_directory, "node.sock");

    /// <summary>
    /// Seeds a fresh store with <paramref name="seed"/>, then starts the agent in <paramref name="ns"/> as node
    /// <see cref="NodeName"/> at <paramref name="nodeIp"/>, with <paramref name="extraArgs"/> (e.g. `--bgp-backend gobgp`).
    /// </summary>
    public static async Task<AgentProcess> StartAsync(NetNs ns, string nodeIp, Func<IStore, Task> seed, IReadOnlyList<string>? extraArgs = null)
    {
        var directory = Directory.CreateTempSubdirectory("rnt-agent-").FullName;
        try
        {
            var datastore = $"sqlite://{Path.Combine(directory, "store.db")}";
            await using (var store = await StoreFactory.OpenAsync(datastore))
            {
                await seed(store);
            }
            string[] args =
            [
                "--datastore", datastore, "--node-name", NodeName, "--node-ip", nodeIp,
                "--api-socket", Path.Combine(directory, "node.sock"), "--health-port", "0",
                .. extraArgs ?? [],
            ];
            return new AgentProcess(directory, ns, args, Start(directory, ns, args));
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private static Daemon Start(string directory, NetNs ns, string[] args) =>
        Daemon.Start(RepoPaths.Binary("routednet-node"), args, ns, logPath: Path.Combine(directory, "agent.log"));

    /// <summary>
    /// A restart as a DaemonSet's or systemd's: <paramref name="signal"/> (15 a clean stop, 9 a
    /// crash) by pid, wait for the exit, start the same agent again on the same store (its log goes on).
    /// </summary>
    public void Restart(int signal)
    {
        _daemon.Signal(signal);
        Assert.True(_daemon.WaitForExit(TimeSpan.FromSeconds(20)), $"the agent did not exit on signal {signal}");
        _stopped.Add(_daemon);
        _daemon = Start(_directory, _ns, _args);
    }

    /// <summary>The agent's one BGP peer as `routednetctl bgp peers -o json` (the published binary) shows it.</summary>
    public async Task<JsonElement> OnlyPeerAsync()
    {
        var result = await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["bgp", "peers", "-o", "json", "--node-socket", ApiSocket]);
        Assert.True(result.ExitCode == 0, $"routednetctl bgp peers: {result.Stderr}");
        using var document = JsonDocument.Parse(result.Stdout);
        return Assert.Single(document.RootElement.GetProperty("peers").EnumerateArray()).Clone();
    }

    /// <summary>Sends a signal by pid (15: the clean stop a kubelet or systemd asks for).</summary>
    public void Signal(int signal) => _daemon.Signal(signal);

    public bool WaitForExit(TimeSpan timeout) => _daemon.WaitForExit(timeout);

    public void Dispose()
    {
        _daemon.Dispose();
        _stopped.ForEach(d => d.Dispose());
        ScratchDirectory.Remove(_directory);
    }
}
