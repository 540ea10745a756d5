using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// A three-member etcd 3.4 cluster on loopback (quorum survives one member), each member with its
/// own free ports and scratch data dir; every member is stopped by pid.
/// </summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    private const int Size = 3;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"rnt-etcd-cluster-{Guid.NewGuid():N}");
    private readonly Daemon?[] _members = new Daemon?[Size];
    private readonly int[] _clientPorts = new int[Size];

    /// <summary>All members, first one first: the store uses members in this order.</summary>
    public string Url => "etcd://" + string.Join(",", _clientPorts.Select(p => $"127.0.0.1:{p}"));

    public string Logs() => string.Join("\n", _members.Select((m, i) => $"--- member {i}:\n{m?.Log()}"));

    public async Task InitializeAsync()
    {
        Tools.Require("/usr/bin/etcd", "etcd-server");
        var peerPorts = new int[Size];
        for (var i = 0; i < Size; i++)
        {
            _clientPorts[i] = EtcdFixture.FreePort();
            peerPorts[i] = EtcdFixture.FreePort();
        }
        var cluster = string.Join(",", peerPorts.Select((p, i) => $"m{i}=http://127.0.0.1:{p}"));
        for (var i = 0; i < Size; i++)
        {
            var client = $"http://127.0.0.1:{_clientPorts[i]}";
            var peer = $"http://127.0.0.1:{peerPorts[i]}";
            _members[i] = Daemon.Start("/usr/bin/etcd", [
                "--name", $"m{i}",
                "--data-dir", Path.Combine(_root, $"m{i}"),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", cluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", Path.GetFileName(_root),
                "--log-level", "warn",
            ]);
        }
        foreach (var port in _clientPorts)
        {
            await Eventually.Until(
                async () => (await Proc.RunAsync(
                    "/usr/bin/etcdctl",
                    ["--endpoints", $"127.0.0.1:{port}", "endpoint", "health"],
                    env: new Dictionary<string, string?> { ["ETCDCTL_API"] = "3" })).Succeeded,
                $"etcd member on port {port}; logs:\n{Logs()}");
        }
    }

    /// <summary>Crashes member <paramref name="index"/> (SIGKILL) and waits until it is gone.</summary>
    public void Kill(int index)
    {
        _members[index]!.Signal(9);
        _members[index]!.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public Task DisposeAsync()
    {
        foreach (var member in _members)
        {
            member?.Dispose();
        }
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
        return Task.CompletedTask;
    }
}
