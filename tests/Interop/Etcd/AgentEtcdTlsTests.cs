using RoutedNet.Datastore;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// routednet-node (the published binary) against etcd with TLS client certificates and auth, as
/// a production node runs it: TLS files as flags, user and password from the environment. It
/// registers its Node there, and neither its log (at trace) nor its status holds the etcd password
/// or a BGPPeer's TCP-MD5 key.
/// </summary>
public sealed class AgentEtcdTlsTests : IAsyncLifetime
{
    private const string PeerPassword = "md5-Tor-key-55";
    private const string Peer = "{\"apiVersion\":\"routednet.io/v1\",\"kind\":\"BGPPeer\",\"metadata\":{\"name\":\"tor1\"},\"spec\":{\"peerIP\":\"192.0.2.1\",\"asNumber\":64500,\"password\":\"" + PeerPassword + "\"}}";

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

        string[] ctl = ["netns", "exec", _ns.Name, RepoPaths.Binary("routednetctl"), "--datastore", _etcd.Url, .. etcdFlags];
        (await Proc.RunAsync("ip", [.. ctl, "apply", "-f", "-"], env: env, stdin: Peer)).EnsureSuccess();

        await Eventually.Until(
            async () =>
            {
                Assert.False(_agent.HasExited, $"the agent exited: {_agent.Log()}");
                var get = await Proc.RunAsync("ip", [.. ctl, "get", "nodes"], env: env);
                var peers = await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["bgp", "peers", "--node-socket", Path.Combine(_dir, "node.sock")]);
                return get.Succeeded && get.Stdout.Contains("172.18.0.2", StringComparison.Ordinal)
                    && peers.Succeeded && peers.Stdout.Contains("192.0.2.1", StringComparison.Ordinal);
            },
            $"Node n1 registered in etcd by the agent and the BGPPeer configured (log {_agent.LogPath})");

        var status = await Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["node", "status", "--node-socket", Path.Combine(_dir, "node.sock"), "-o", "json"]);
        Assert.True(status.Succeeded, status.ToString());
        foreach (var secret in (string[])[SecureEtcdFixture.Password, PeerPassword])
        {
            Assert.DoesNotContain(secret, _agent.Log(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, status.Stdout + status.Stderr, StringComparison.Ordinal);
        }
    }
}
