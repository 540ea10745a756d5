using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>
/// A BGPPeer's TCP-MD5 password never leaves the datastore through `get`, in any output format;
/// what `get` prints in its place can be applied back without losing the stored password.
/// </summary>
public sealed class SecretOutputTests
{
    private const string Password = "md5-s3cret-tor1";

    private const string Peer = $"""
        apiVersion: routednet.io/v1
        kind: BGPPeer
        metadata:
          name: tor1
        spec:
          peerIP: 192.0.2.1
          asNumber: 64500
          password: {Password}
        """;

    [Theory]
    [InlineData("table")]
    [InlineData("wide")]
    [InlineData("json")]
    [InlineData("yaml")]
    public async Task Get_BgpPeerWithPassword_PasswordInNoOutputFormat(string format)
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("peer.yaml", Peer))).Exit);

        foreach (var args in new[] { new[] { "get", "bgppeers", "-o", format }, ["get", "bgppeer", "tor1", "-o", format] })
        {
            var get = await ctl.RunAsync(args);

            Assert.True(get.Exit == 0, get.Stderr);
            Assert.Contains("tor1", get.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, get.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, get.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_BgpPeerWithPasswordSecretRef_ShowsTheReferenceInEveryFormat()
    {
        await using var ctl = new CtlProcess();
        var peer = """
            apiVersion: routednet.io/v1
            kind: BGPPeer
            metadata:
              name: tor2
            spec:
              peerIP: 192.0.2.2
              asNumber: 64500
              passwordSecretRef:
                name: tor-bgp
                key: md5
            """;
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("peer.yaml", peer))).Exit);

        var table = await ctl.RunAsync("get", "bgppeers");
        var yaml = await ctl.RunAsync("get", "bgppeer", "tor2", "-o", "yaml");
        var json = await ctl.RunAsync("get", "bgppeer", "tor2", "-o", "json");

        Assert.Contains("PASSWORD", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("secret tor-bgp/md5", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("passwordSecretRef:", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("name: tor-bgp", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"key\": \"md5\"", json.Stdout.Replace("\":\"", "\": \"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("REDACTED", yaml.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_PasswordAndSecretRefTogether_RefusedExit2()
    {
        await using var ctl = new CtlProcess();
        var peer = Peer + "\n  passwordSecretRef: {name: tor-bgp, key: md5}\n";

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("peer.yaml", peer));

        Assert.Equal(2, apply.Exit);
        Assert.Contains("spec.password and spec.passwordSecretRef are exclusive", apply.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, apply.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WhatGetPrinted_StoredPasswordKept()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("peer.yaml", Peer))).Exit);
        var yaml = await ctl.RunAsync("get", "bgppeer", "tor1", "-o", "yaml");
        var edited = yaml.Stdout.Replace("asNumber: 64500", "asNumber: 64501", StringComparison.Ordinal);

        var apply = await ctl.RunAsync("apply", "-f", ctl.File("edited.yaml", edited));

        Assert.True(apply.Exit == 0, apply.Stderr);
        await using var store = await ctl.OpenStoreAsync();
        var stored = await store.GetAsync<BGPPeer>("tor1");
        Assert.Equal(64501u, stored.Spec.AsNumber);
        Assert.Equal(Password, stored.Spec.Password);
    }

    [Fact]
    public async Task Create_WithTheRedactionPlaceholder_RefusedInOneLine()
    {
        await using var ctl = new CtlProcess();
        Assert.Equal(0, (await ctl.RunAsync("apply", "-f", ctl.File("peer.yaml", Peer))).Exit);
        var yaml = await ctl.RunAsync("get", "bgppeer", "tor1", "-o", "yaml");
        var copy = yaml.Stdout.Replace("name: tor1", "name: tor2", StringComparison.Ordinal);

        var create = await ctl.RunAsync("apply", "-f", ctl.File("copy.yaml", copy));

        Assert.NotEqual(0, create.Exit);
        var line = Assert.Single(create.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("tor2", line, StringComparison.Ordinal);
        Assert.Contains("password", line, StringComparison.Ordinal);
        await using var store = await ctl.OpenStoreAsync();
        Assert.Null(await store.TryGetAsync<BGPPeer>("tor2"));
    }
}
