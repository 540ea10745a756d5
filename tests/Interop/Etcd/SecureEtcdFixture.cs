using System.Globalization;
using RoutedNet.Datastore;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// A real etcd 3.4 as a production cluster runs it: clients only over TLS with a certificate from
/// the cluster's CA (--client-cert-auth), and etcd's auth enabled, with user "routednet" allowed
/// read-write on /routednet.io/ only. The CA, the server certificate (SAN IP:127.0.0.1) and the
/// client certificate are made by the test with openssl in a scratch directory.
/// </summary>
public sealed class SecureEtcdFixture : IAsyncLifetime
{
    public const string User = "routednet";
    public const string Password = "pw-Interop-7f3a";
    private const string RootPassword = "root-pw-9c1e";
    private const string Etcd = "/usr/bin/etcd";
    private const string Etcdctl = "/usr/bin/etcdctl";
    private const string Openssl = "/usr/bin/openssl";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"rnt-etcd-tls-{Guid.NewGuid():N}");
    private readonly NetNs? _ns;
    private Daemon? _etcd;
    private int _peerPort;

    public SecureEtcdFixture()
    {
    }

    /// <summary>The member on <paramref name="ns"/>'s loopback, for a client that runs in that namespace.</summary>
    internal SecureEtcdFixture(NetNs ns) => _ns = ns;

    public int ClientPort { get; private set; }

    /// <summary>The datastore URL (TLS).</summary>
    public string Url => $"etcds://127.0.0.1:{ClientPort}";

    public string CaCertFile => Path.Combine(_dir, "ca.crt");

    public string CertFile => Path.Combine(_dir, "client.crt");

    public string KeyFile => Path.Combine(_dir, "client.key");

    /// <summary>Everything a client needs: CA, client certificate, user and password.</summary>
    public EtcdSecurity Security => new() { CaCertFile = CaCertFile, CertFile = CertFile, KeyFile = KeyFile, Username = User, Password = Password };

    public string Log() => _etcd?.Log() ?? "";

    public async Task InitializeAsync()
    {
        Tools.Require(Etcd, "etcd-server");
        Tools.Require(Etcdctl, "etcd-client");
        Tools.Require(Openssl, "openssl");
        Directory.CreateDirectory(_dir);
        MakeCertificates();
        ClientPort = EtcdFixture.FreePort();
        _peerPort = EtcdFixture.FreePort();
        await StartAsync();
        foreach (var args in new[]
        {
            new[] { "user", "add", "root", "--new-user-password", RootPassword },
            ["user", "grant-role", "root", "root"],
            ["user", "add", User, "--new-user-password", Password],
            ["role", "add", "routednet"],
            ["role", "grant-permission", "routednet", "--prefix=true", "readwrite", "/routednet.io/"],
            ["user", "grant-role", User, "routednet"],
            ["auth", "enable"],
        })
        {
            (await EtcdctlAsync(args)).EnsureSuccess();
        }
    }

    /// <summary>Kills the member and starts it again on the same data: it forgets every auth token it issued.</summary>
    public async Task RestartAsync()
    {
        _etcd!.Signal(9);
        _etcd.WaitForExit(TimeSpan.FromSeconds(10));
        _etcd.Dispose();
        await StartAsync();
    }

    /// <summary>Deletes every RoutedNet key (as root).</summary>
    public async Task WipeAsync() => (await EtcdctlAsync("--user", $"root:{RootPassword}", "del", "--prefix", "/routednet.io/")).EnsureSuccess();

    public Task DisposeAsync()
    {
        _etcd?.Dispose();
        ScratchDirectory.Remove(_dir);
        return Task.CompletedTask;
    }

    private async Task StartAsync()
    {
        var client = $"https://127.0.0.1:{ClientPort}";
        var peer = $"http://127.0.0.1:{_peerPort}";
        _etcd = Daemon.Start(Etcd, [
            "--name", "rnt-tls",
            "--data-dir", Path.Combine(_dir, "data"),
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"rnt-tls={peer}",
            "--initial-cluster-state", "new",
            "--cert-file", Path.Combine(_dir, "server.crt"),
            "--key-file", Path.Combine(_dir, "server.key"),
            "--trusted-ca-file", CaCertFile,
            "--client-cert-auth",
            "--log-level", "warn",
        ], _ns);
        await Eventually.Until(
            async () =>
            {
                Assert.False(_etcd.HasExited, "etcd exited");
                return (await EtcdctlAsync("endpoint", "health")).Succeeded;
            },
            $"etcd on {client}; log:\n{_etcd.Log()}");
    }

    private void MakeCertificates()
    {
        string[] key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        Proc.Check(Openssl, ["req", "-x509", .. key, "-keyout", Path.Combine(_dir, "ca.key"), "-out", CaCertFile, "-days", "2", "-subj", "/CN=rnt-etcd-ca"]);
        Sign("server", "/CN=rnt-etcd-server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        Sign("client", "/CN=rnt-client", "extendedKeyUsage=clientAuth\n");

        void Sign(string name, string subject, string extensions)
        {
            var extFile = Path.Combine(_dir, name + ".ext");
            File.WriteAllText(extFile, extensions);
            Proc.Check(Openssl, ["req", .. key, "-keyout", Path.Combine(_dir, name + ".key"), "-out", Path.Combine(_dir, name + ".csr"), "-subj", subject]);
            Proc.Check(Openssl, ["x509", "-req", "-in", Path.Combine(_dir, name + ".csr"), "-CA", CaCertFile, "-CAkey", Path.Combine(_dir, "ca.key"),
                "-CAcreateserial", "-out", Path.Combine(_dir, name + ".crt"), "-days", "2", "-extfile", extFile]);
        }
    }

    private Task<ProcessResult> EtcdctlAsync(params string[] args) => Proc.RunAsync(
        _ns is null ? Etcdctl : "ip",
        [.. _ns is null ? [] : (string[])["netns", "exec", _ns.Name, Etcdctl], "--endpoints", $"https://127.0.0.1:{ClientPort.ToString(CultureInfo.InvariantCulture)}", "--cacert", CaCertFile, "--cert", CertFile, "--key", KeyFile, .. args],
        env: new Dictionary<string, string?> { ["ETCDCTL_API"] = "3" },
        timeout: TimeSpan.FromSeconds(30));
}
