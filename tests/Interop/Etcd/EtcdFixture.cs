using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// One real etcd 3.4 (Debian etcd-server) per test collection, on loopback at free ports, with a
/// scratch data dir; stopped by pid. Tests get a wiped keyspace from <see cref="WipeAsync"/>.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private const string Etcd = "/usr/bin/etcd";
    private const string Etcdctl = "/usr/bin/etcdctl";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"rnt-etcd-{Guid.NewGuid():N}");
    private Daemon? _etcd;
    private int _peerPort;

    public int ClientPort { get; private set; }

    /// <summary>The datastore URL of this member.</summary>
    public string Url => $"etcd://127.0.0.1:{ClientPort}";

    public string Log() => _etcd?.Log() ?? "";

    public async Task InitializeAsync()
    {
        Tools.Require(Etcd, "etcd-server");
        Tools.Require(Etcdctl, "etcd-client");
        ClientPort = FreePort();
        _peerPort = FreePort();
        await StartAsync();
    }

    /// <summary>Kills the member (SIGKILL: a crash, not a shutdown) and waits until it is gone.</summary>
    public void Kill()
    {
        _etcd!.Signal(9);
        _etcd.WaitForExit(TimeSpan.FromSeconds(10));
        _etcd.Dispose();
        _etcd = null;
    }

    /// <summary>Starts the member again on the same ports and data (after <see cref="Kill"/>).</summary>
    public async Task StartAsync()
    {
        var client = $"http://127.0.0.1:{ClientPort}";
        var peer = $"http://127.0.0.1:{_peerPort}";
        _etcd = Daemon.Start(Etcd, [
            "--name", "rnt",
            "--data-dir", _dataDir,
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"rnt={peer}",
            "--initial-cluster-state", "new",
            "--log-level", "warn",
        ]);
        await Eventually.Until(
            async () =>
            {
                Assert.False(_etcd.HasExited, "etcd exited");
                return (await EtcdctlAsync("endpoint", "health")).Succeeded;
            },
            $"etcd on {client}; log:\n{_etcd.Log()}");
    }

    /// <summary>Deletes every RoutedNet key, so that each test starts from an empty store.</summary>
    public async Task WipeAsync() => (await EtcdctlAsync("del", "--prefix", "/routednet.io/")).EnsureSuccess();

    /// <summary>Compacts etcd's history up to <paramref name="revision"/> (what etcd's auto-compaction does).</summary>
    public async Task CompactAsync(string revision) => (await EtcdctlAsync("compact", revision)).EnsureSuccess();

    public Task DisposeAsync()
    {
        _etcd?.Dispose();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        return Task.CompletedTask;
    }

    /// <summary>A loopback port nobody listens on (for a dead endpoint, or for etcd itself).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<ProcessResult> EtcdctlAsync(params string[] args) => Proc.RunAsync(
        Etcdctl,
        ["--endpoints", $"127.0.0.1:{ClientPort.ToString(CultureInfo.InvariantCulture)}", .. args],
        env: new Dictionary<string, string?> { ["ETCDCTL_API"] = "3" },
        timeout: TimeSpan.FromSeconds(30));
}
