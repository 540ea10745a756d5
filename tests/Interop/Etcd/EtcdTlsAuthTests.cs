using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Etcd;

/// <summary>
/// The etcd datastore against a member that takes only TLS clients with a certificate of its CA
/// and has etcd's auth enabled (<see cref="SecureEtcdFixture"/>): the store, routednetctl and
/// routednet-node connect with the CA, client certificate, user and password, and every wrong or
/// missing piece is refused with a message that never repeats the password.
/// </summary>
public sealed class EtcdTlsAuthTests(SecureEtcdFixture etcd) : IClassFixture<SecureEtcdFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => etcd.WipeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Store_TlsClientCertificateAndPassword_ReadsWritesAndWatches()
    {
        await using var store = await StoreFactory.OpenAsync(DatastoreUrl.Parse(etcd.Url), etcd.Security);
        var list = await store.ListAsync<Node>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = store.WatchAsync<Node>(list.ResourceVersion, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = events.MoveNextAsync().AsTask();

        await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "n1" }, Spec = new NodeSpec { Addresses = ["172.18.0.2/24"] } });

        Assert.Equal("172.18.0.2/24", Assert.Single((await store.GetAsync<Node>("n1")).Spec.Addresses));
        Assert.True(await next);
        Assert.Equal("n1", events.Current.Object.Name);
    }

    [Fact]
    public async Task Store_MemberForgetsTokens_AuthenticatesAgainUnseen()
    {
        await using var store = await StoreFactory.OpenAsync(DatastoreUrl.Parse(etcd.Url), etcd.Security);
        await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "before" } });

        // Simple tokens live only in the member's memory: after a restart every one is invalid.
        await etcd.RestartAsync();

        await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "after" } });
        Assert.Equal(2, (await store.ListAsync<Node>()).Items.Count);
    }

    [Fact]
    public async Task Store_WrongPassword_RefusedSayingSoWithoutThePassword()
    {
        const string wrong = "not-the-Password-42";
        await using var store = await StoreFactory.OpenAsync(DatastoreUrl.Parse(etcd.Url), etcd.Security with { Password = wrong });

        var error = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync<Node>());

        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_NoPassword_RefusedByEtcdAuth()
    {
        await using var store = await StoreFactory.OpenAsync(DatastoreUrl.Parse(etcd.Url), etcd.Security with { Username = null, Password = null });

        // The client certificate alone names user rnt-client (its CN), who has no role.
        var error = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync<Node>());

        Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_NoClientCertificate_RefusedByTheMember()
    {
        await using var store = await StoreFactory.OpenAsync(DatastoreUrl.Parse(etcd.Url), etcd.Security with { CertFile = null, KeyFile = null });

        await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync<Node>());
    }

    [Fact]
    public async Task Store_OtherCa_ServerCertificateNotTrusted()
    {
        // The client's own certificate is no CA of the server's: the handshake must fail on our side.
        await using var store = await StoreFactory.OpenAsync(DatastoreUrl.Parse(etcd.Url), etcd.Security with { CaCertFile = etcd.CertFile });

        await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync<Node>());
    }

    [Fact]
    public async Task Store_PlainTextUrlWithTlsFiles_RefusedBeforeConnecting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            StoreFactory.OpenAsync(DatastoreUrl.Parse($"etcd://127.0.0.1:{etcd.ClientPort}"), etcd.Security));

        Assert.Contains("etcds://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctl_FlagsAndPasswordFromEnvironment_AppliesAndGets()
    {
        var peer = """{"apiVersion":"routednet.io/v1","kind":"BGPPeer","metadata":{"name":"tor1"},"spec":{"peerIP":"192.0.2.1","asNumber":64500,"password":"md5-key-1"}}""";
        string[] flags = ["--datastore", etcd.Url, "--etcd-ca-cert-file", etcd.CaCertFile, "--etcd-cert-file", etcd.CertFile, "--etcd-key-file", etcd.KeyFile, "--etcd-username", SecureEtcdFixture.User];
        var env = new Dictionary<string, string?> { [EtcdSecurity.PasswordVariable] = SecureEtcdFixture.Password };

        (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), [.. flags, "apply", "-f", "-"], env: env, stdin: peer)).EnsureSuccess();
        var get = (await Proc.RunAsync(RepoPaths.Binary("routednetctl"), [.. flags, "get", "bgppeers", "-o", "yaml"], env: env)).EnsureSuccess();

        Assert.Contains("192.0.2.1", get.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("md5-key-1", get.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SecureEtcdFixture.Password, get.Stdout + get.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctl_WrongPassword_OneLineWithoutThePassword()
    {
        const string wrong = "wrong-Password-on-cli";
        var result = await Proc.RunAsync(
            RepoPaths.Binary("routednetctl"),
            ["--datastore", etcd.Url, "--etcd-ca-cert-file", etcd.CaCertFile, "--etcd-cert-file", etcd.CertFile, "--etcd-key-file", etcd.KeyFile,
                "--etcd-username", SecureEtcdFixture.User, "--etcd-password", wrong, "get", "nodes"]);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("authentication failed", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
