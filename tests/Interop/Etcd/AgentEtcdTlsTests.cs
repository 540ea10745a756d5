using RoutedNet.Datastore;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// routednet-node (the published binary) against etcd with TLS client certificates and auth, as
/// a production node runs it: TLS files as flags, user and password from the environment. It
/// registers its Node there, and its log never holds the password.
/// </summary>
public sealed class AgentEtcdTlsTests : IAsyncLifetime
{
    private readonly NetNs _ns = NetNs.Create("rnsec");
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-agent-etcd-").FullName;
    private SecureEtcdFixture _etcd = null!;
    private Daemon? _agent;

    public async Task InitializeAsync()
    {
        // The agent and etcd share the namespace's loopback (the agent must not run on the host's).
        _etcd = new SecureEtcdFixture(_ns);
        await _etcd.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _agent?.Dispose();
        await _etcd.DisposeAsync();
        _ns.Dispose();
        ScratchDirectory.Remove(_dir);
    }

    [Fact]
    public async Task Agent_EtcdTlsAndAuth_RegistersItsNodeAndNeverLogsThePassword()
    {
        _ns.Check("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
        _ns.Check("ip", "link", "set", "eth0p", "up");
        _ns.Check("ip", "addr", "add", "172.18.0.2/24", "dev", "eth0");
        _ns.Check("ip", "link", "set", "eth0", "up");
        string[] etcdFlags = ["--etcd-ca-cert-file", _etcd.CaCertFile, "--etcd-cert-file", _etcd.CertFile, "--etcd-key-file", _etcd.KeyFile];
        var env = new Dictionary<string, string?>
        {
            [EtcdSecurity.UsernameVariable] = SecureEtcdFixture.User,
            [EtcdSecurity.PasswordVariable] = SecureEtcdFixture.Password,
        };
        _agent = Daemon.Start(
            RepoPaths.Binary("routednet-node"),
            ["--datastore", _etcd.Url, .. etcdFlags, "--node-name", "n1", "--node-ip", "172.18.0.2",
                "--api-socket", Path.Combine(_dir, "node.sock"), "--health-port", "0", "--metrics-port", "0", "--log-level", "trace"],
            _ns,
            env,
            Path.Combine(_dir, "agent.log"));

        await Eventually.Until(
            async () =>
            {
                Assert.False(_agent.HasExited, $"the agent exited: {_agent.Log()}");
                var get = await Proc.RunAsync("ip", ["netns", "exec", _ns.Name, RepoPaths.Binary("routednetctl"), "--datastore", _etcd.Url, .. etcdFlags, "get", "nodes"], env: env);
                return get.Succeeded && get.Stdout.Contains("172.18.0.2", StringComparison.Ordinal);
            },
            $"Node n1 registered in etcd by the agent (log {_agent.LogPath})");

        Assert.DoesNotContain(SecureEtcdFixture.Password, _agent.Log(), StringComparison.Ordinal);
    }
}
